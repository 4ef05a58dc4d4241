import { ConfigurationError } from '@atom-actions/shared/errors';

import { analyseStep } from '../analysis/step.ts';
import type { MeasureContext } from '../analysis/measure.ts';
import type { RolloutContext, RolloutResult } from '../context.ts';
import { describe, type KubeObject } from '../kube/cluster.ts';
import { ensureCanaryDeployment } from '../kube/canary-deployment.ts';
import { deploymentRef, RolloutError, scaleDeployment, versionOf, waitForRollout } from '../kube/deployments.ts';
import { abortRollout, restoreWithRouter } from '../lifecycle/abort.ts';
import { promoteCanary } from '../lifecycle/promote.ts';
import { createRouter } from '../routers/index.ts';
import type { TrafficRouter } from '../routers/router.ts';
import { initialState, readState, writeState, type RolloutState } from '../state.ts';
import { prometheusConnection } from './prometheus.ts';

/** A canary job: the whole progression (run), its first step (start) or the next step (advance). */
export type CanaryMode = 'run' | 'start' | 'advance';

/**
 * Runs the canary progression for this job. `run` goes through every step
 * and promotes; `start` and `advance` set one step, judge it and leave the
 * canary paused for a later job. A failed step aborts at once; no data with
 * on-no-data inconclusive restores stable without promoting.
 */
export async function runCanary(context: RolloutContext, mode: CanaryMode): Promise<RolloutResult> {
  const { settings, cluster } = context;
  const stable = await readStable(context);
  const prepared = mode === 'advance' ? await resumeRollout(context) : await beginRollout(context, stable);
  const { canary, router } = prepared;
  let state = prepared.state;

  const measure = measureContext(context, stable, canary);
  const last = mode === 'run' ? settings.steps.length - 1 : state.stepIndex + 1;
  context.markTrafficShifted();

  try {
    if (mode !== 'advance' && settings.trafficRouter !== 'replicas') await startCanaryPods(context, state.stableReplicas);

    for (let index = state.stepIndex + 1; index <= last; index++) {
      const weight = await router.setWeight(settings.steps[index]!);
      state = await writeState(cluster, settings.namespace, settings.canary, { ...state, phase: 'progressing', stepIndex: index, weight });
      context.log(`Step ${index + 1} of ${settings.steps.length}: canary weight ${weight}%.`);
      await context.pushgateway?.pushWeight(weight);

      const pauseMs = settings.pausesMs[index]!;
      if (pauseMs === 0) continue;
      const outcome = await analyseStep(measure, { step: index + 1, weight, pauseMs }, stepHooks(context));
      if (outcome.verdict === 'fail') return abortRollout(context, restoreWithRouter(router), outcome.reason);
      if (outcome.verdict === 'inconclusive') return abortRollout(context, restoreWithRouter(router), outcome.reason, 'inconclusive');
      context.log(outcome.reason);
    }
  } catch (error) {
    if (error instanceof RolloutError) return abortRollout(context, restoreWithRouter(router), error.message);
    throw error;
  }

  if (mode === 'run') return promoteCanary(context, router, (await cluster.read(deploymentRef(settings.namespace, settings.canary))) ?? canary, state.stableReplicas);

  await writeState(cluster, settings.namespace, settings.canary, { ...state, phase: 'paused', reason: `paused at step ${state.stepIndex + 1}` });
  const next = state.stepIndex + 1 < settings.steps.length ? `advance to ${settings.steps[state.stepIndex + 1]}%` : 'promote';
  return { decision: 'paused', weight: state.weight, reason: `Paused at step ${state.stepIndex + 1} of ${settings.steps.length} (${state.weight}%) after it passed; a later job can ${next} or abort.` };
}

/** Promotes a canary that an earlier job left paused. */
export async function promotePaused(context: RolloutContext): Promise<RolloutResult> {
  const { canary, router, state } = await resumeRollout(context, true);
  context.markTrafficShifted();
  return promoteCanary(context, router, canary, state.stableReplicas);
}

/** Returns the router for the rollout recorded on the canary, for abort and the post step. */
export function routerFor(context: RolloutContext, state: RolloutState | undefined, stableReplicas: number): TrafficRouter {
  return createRouter({ ...withRecordedRouter(context, state), stableReplicas: state?.stableReplicas ?? stableReplicas });
}

/**
 * Uses the traffic router recorded when the rollout started, so that a
 * later job (advance, promote, abort, the post step) moves traffic through
 * the same objects even when its `traffic-router` input differs or was left
 * at its default.
 */
function withRecordedRouter(context: RolloutContext, state: RolloutState | undefined): RolloutContext {
  const recorded = state?.trafficRouter;
  if (!recorded || recorded === context.settings.trafficRouter) return context;
  context.warn(`The rollout started with traffic-router ${recorded}, so this job uses it instead of its input ${context.settings.trafficRouter}.`);
  return { ...context, settings: { ...context.settings, trafficRouter: recorded } };
}

async function readStable(context: RolloutContext): Promise<KubeObject> {
  const ref = deploymentRef(context.settings.namespace, context.settings.deployment);
  const stable = await context.cluster.read(ref);
  if (!stable) throw new ConfigurationError(`The stable ${describe(ref)} was not found: check the "deployment" and "namespace" inputs.`);
  return stable;
}

async function beginRollout(context: RolloutContext, stable: KubeObject): Promise<{ canary: KubeObject; router: TrafficRouter; state: RolloutState }> {
  const { settings, cluster } = context;
  const canary = await ensureCanaryDeployment(cluster, stable, settings, context.log);
  const previous = readState(canary);
  if (previous && (previous.phase === 'progressing' || previous.phase === 'paused')) {
    context.warn(`The canary carries an unfinished rollout (phase ${previous.phase} at ${previous.weight}%); starting a new one from the first step.`);
  }

  const stableReplicas = previous && (previous.phase === 'progressing' || previous.phase === 'paused') ? previous.stableReplicas : (stable.spec?.replicas ?? 1);
  const state = await writeState(cluster, settings.namespace, settings.canary, { ...initialState('canary', settings.steps, stableReplicas), trafficRouter: settings.trafficRouter });
  const router = createRouter({ ...context, stableReplicas });
  await router.prepare(canary);
  return { canary, router, state };
}

async function resumeRollout(context: RolloutContext, forPromotion = false): Promise<{ canary: KubeObject; router: TrafficRouter; state: RolloutState }> {
  const { settings, cluster } = context;
  const ref = deploymentRef(settings.namespace, settings.canary);
  const canary = await cluster.read(ref);
  const state = readState(canary);
  if (!canary || !state || state.phase !== 'paused') {
    let found = `its rollout is ${state?.phase}`;
    if (!state) found = 'it carries no rollout state';
    if (!canary) found = 'the canary Deployment does not exist';
    throw new ConfigurationError(`Cannot ${forPromotion ? 'promote' : 'advance'} ${describe(ref)}: ${found}. Run action start first, and advance or promote only a paused canary.`);
  }
  if (!forPromotion && state.stepIndex + 1 >= settings.steps.length) {
    throw new ConfigurationError(`Cannot advance ${describe(ref)}: it is at the last step (${state.weight}%). Use action promote.`);
  }
  return { canary, router: createRouter({ ...withRecordedRouter(context, state), stableReplicas: state.stableReplicas }), state };
}

/** Scales the canary to the stable replica count and waits for it, for routers that split by weight rather than replicas. */
async function startCanaryPods(context: RolloutContext, replicas: number): Promise<void> {
  const ref = deploymentRef(context.settings.namespace, context.settings.canary);
  context.log(`Scaling ${describe(ref)} to ${replicas} replicas before it gets traffic.`);
  await scaleDeployment(context.cluster, ref, replicas);
  await waitForRollout(context.cluster, ref, context.settings.progressDeadlineMs, context.log, context.signal);
}

function measureContext(context: RolloutContext, stable: KubeObject, canary: KubeObject): MeasureContext {
  const { settings } = context;
  return {
    prometheus: prometheusConnection(context),
    analysis: settings.analysis,
    namespace: settings.namespace,
    deployment: settings.deployment,
    canaryVersion: versionOf(canary, settings.versionLabel),
    stableVersion: versionOf(stable, settings.versionLabel),
  };
}

/** Returns the hooks that log each measurement and collect it for the outputs and summary. */
export function stepHooks(context: RolloutContext): Parameters<typeof analyseStep>[2] {
  return { log: context.log, warn: context.warn, signal: context.signal, onMeasurement: (measurement) => context.measurements.push(measurement) };
}
