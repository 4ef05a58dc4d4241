import * as fs from 'node:fs';
import * as path from 'node:path';

import * as core from '@actions/core';

import { errorMessage } from '@atom-actions/shared/errors';
import { appendSummary } from '@atom-actions/shared/summary';

import { checklistPassed, failedLineNames, type ChecklistLine } from './checklist.ts';
import { checkMetrics } from './checks/metrics.ts';
import { checkHealth, checkSmoke } from './checks/smoke.ts';
import { checkWorkload } from './checks/workload.ts';
import { remediate } from './remediation-run.ts';
import { renderSummary, type VerifyReport } from './report.ts';
import type { VerifySettings } from './settings.ts';
import type { VerifyLog } from './verify-log.ts';

/** Runs the post-deployment checklist, acts on a failure as `on-failure` sets, and reports. */
export async function execute(settings: VerifySettings): Promise<void> {
  const log: VerifyLog = { info: (message) => core.info(message), warning: (message) => core.warning(message) };
  const startedAt = Date.now();
  log.info(`Verifying ${settings.baseUrl.href} for ${settings.environment}`);

  const lines = await runChecklist(settings, log);
  const passed = checklistPassed(lines);
  const failedChecks = failedLineNames(lines);
  log.info(passed ? 'Every checklist item passed.' : `Failed: ${failedChecks.join(', ')}.`);

  const remediation = !passed && settings.onFailure !== 'none' ? await remediate(settings, failedChecks, log) : undefined;

  const report: VerifyReport = {
    passed,
    baseUrl: settings.baseUrl.href,
    environment: settings.environment,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Date.now() - startedAt,
    failedChecks,
    lines,
    ...(remediation ? { remediation } : {}),
  };
  const reportPath = writeReport(settings, report);

  core.setOutput('passed', String(passed));
  core.setOutput('failed-checks', failedChecks.join(','));
  core.setOutput('report', reportPath);
  core.setOutput('rolled-back', remediation ? String(remediation.rollback.status === 'rolled-back') : 'false');
  await appendSummary(renderSummary(report));

  if (!passed && settings.failOnError) core.setFailed(`Post-deployment verification failed: ${failedChecks.join(', ')}.`);
  if (remediation?.rollback.status === 'failed') core.setFailed(`Rollback failed: ${remediation.rollback.message}`);
}

/** Runs the five items in order; an item that cannot run becomes a failed line, not a crash. */
async function runChecklist(settings: VerifySettings, log: VerifyLog): Promise<ChecklistLine[]> {
  const lines: ChecklistLine[] = [];

  if (settings.health) lines.push(...(await guard('health', 'endpoints', () => checkHealth(settings.health!, log), log)));
  else lines.push(skipped('health', 'endpoints', 'health-checks is false.'));

  if (settings.smoke) lines.push(...(await guard('smoke', 'checks passed', async () => (await checkSmoke(settings.smoke!, log)).lines, log)));
  else lines.push(skipped('smoke', 'checks passed', 'Neither smoke-preset nor smoke-checks is set.'));

  if (settings.metrics) lines.push(...(await guard('metrics', 'queries', () => checkMetrics(settings.metrics!, log), log)));
  else lines.push(skipped('metrics', 'queries', 'prometheus-url is not set.'));

  if (settings.cluster) lines.push(...(await checkWorkload(settings.cluster, settings.workload, log)));
  else lines.push(skipped('pods', 'pods and logs', 'deployment is not set.'));

  return lines;
}

async function guard(item: ChecklistLine['item'], name: string, run: () => Promise<ChecklistLine[]>, log: VerifyLog): Promise<ChecklistLine[]> {
  try {
    return await run();
  } catch (error) {
    log.warning(`${item}: could not run: ${errorMessage(error)}`);
    return [{ item, name, result: 'fail', value: 'not run', threshold: '', detail: `Could not run: ${errorMessage(error)}` }];
  }
}

function skipped(item: ChecklistLine['item'], name: string, reason: string): ChecklistLine {
  return { item, name, result: 'skip', value: '', threshold: '', detail: `Skipped: ${reason}` };
}

function writeReport(settings: VerifySettings, report: VerifyReport): string {
  const target = settings.reportPath !== '' ? path.resolve(process.env['GITHUB_WORKSPACE'] ?? process.cwd(), settings.reportPath) : path.join(process.env['RUNNER_TEMP'] ?? process.cwd(), 'verify-report.json');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${JSON.stringify(report, null, 2)}\n`);
  return target;
}
