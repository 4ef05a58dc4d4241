import * as core from '@actions/core';

import { errorMessage } from '@atom-actions/shared/errors';
import { appendSummary } from '@atom-actions/shared/summary';

import type { RolloutContext, RolloutResult } from './context.ts';
import { abortFromAnyState } from './lifecycle/abort-command.ts';
import { metricRecords } from './report/outputs.ts';
import { buildSummary } from './report/summary.ts';
import { openSession, restoreStateName } from './session.ts';
import type { CanarySettings } from './settings.ts';
import { promoteBlueGreen, runBlueGreen } from './strategies/blue-green.ts';
import { promotePaused, runCanary } from './strategies/canary.ts';

/** Time main may take after SIGINT before it exits anyway; the runner kills it a few seconds later. */
const cancelGraceMs = 4000;

/**
 * Runs the requested action (run, start, advance, promote or abort), sets
 * the outputs, writes the summary and pushes metrics. Aborted and
 * inconclusive rollouts fail the step, except a requested abort. On SIGINT it stops at once and
 * leaves restoring stable to the post step.
 */
export async function execute(settings: CanarySettings): Promise<void> {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    core.warning('The workflow was cancelled: stopping now; the post step restores stable routing.');
    controller.abort(new Error('cancelled'));
    setTimeout(() => process.exit(1), cancelGraceMs).unref();
  });

  const started = Date.now();
  const context = openSession(settings, controller.signal);
  let result: RolloutResult;
  try {
    result = await dispatch(context);
  } catch (error) {
    if (controller.signal.aborted) {
      core.setOutput('decision', 'aborted');
      core.setOutput('reason', 'The workflow was cancelled; the post step restores stable routing.');
      core.setOutput('metrics', JSON.stringify(metricRecords(context.measurements)));
      core.setFailed(`Cancelled during the ${settings.action} job: ${errorMessage(error)}.`);
      return;
    }
    throw error;
  }

  await finish(context, result, (Date.now() - started) / 1000);
}

function dispatch(context: RolloutContext): Promise<RolloutResult> {
  const { settings } = context;
  const blueGreen = settings.strategy === 'blue-green';
  switch (settings.action) {
    case 'run':
    case 'start':
      return blueGreen ? runBlueGreen(context, settings.action) : runCanary(context, settings.action);
    case 'advance':
      if (blueGreen) throw new Error('Action advance has no meaning for strategy blue-green, which has one switch: use promote or abort.');
      return runCanary(context, 'advance');
    case 'promote':
      return blueGreen ? promoteBlueGreen(context) : promotePaused(context);
    case 'abort':
      return abortFromAnyState(context, 'abort requested by the workflow');
  }
}

async function finish(context: RolloutContext, result: RolloutResult, durationSeconds: number): Promise<void> {
  // Traffic is where this job meant it to be: restored, promoted, or paused on purpose for a later job.
  core.saveState(restoreStateName, 'false');

  core.setOutput('decision', result.decision);
  core.setOutput('weight', String(result.weight));
  core.setOutput('reason', result.reason);
  core.setOutput('metrics', JSON.stringify(metricRecords(context.measurements)));
  core.info(`Decision: ${result.decision} at ${result.weight}%. ${result.reason}`);

  await appendSummary(buildSummary(context.settings, result, context.measurements, context.smokeReport));
  if (result.decision !== 'paused') await context.pushgateway?.pushResult(result.decision, result.decision !== 'promoted', durationSeconds);

  // An abort the workflow asked for is a success; one the judgement decided fails the step.
  const judged = context.settings.action !== 'abort';
  if (judged && (result.decision === 'aborted' || result.decision === 'inconclusive')) core.setFailed(`Canary ${result.decision}: ${result.reason}`);
}
