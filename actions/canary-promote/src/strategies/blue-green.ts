import { ConfigurationError } from '@atom-actions/shared/errors';

import { analyseStep } from '../analysis/step.ts';
import type { RolloutContext, RolloutResult } from '../context.ts';
import { describe, type KubeObject } from '../kube/cluster.ts';
import { ensureCanaryDeployment } from '../kube/canary-deployment.ts';
import { deploymentRef, RolloutError, scaleDeployment, versionOf, waitForRollout } from '../kube/deployments.ts';
import { abortRollout } from '../lifecycle/abort.ts';
import { serviceRef } from '../routers/canary-service.ts';
import { initialState, readState, writeState } from '../state.ts';
import { stepHooks } from './canary.ts';
import { prometheusConnection } from './prometheus.ts';
import { smokeTestGreen } from './smoke-gate.ts';

/**
 * Runs a blue-green switch: green (the canary Deployment) rolls out at the
 * blue replica count, passes the smoke test when smoke-base-url is set, then
 * the Service selector moves to green's labels and green is observed for
 * the first pause. Trouble moves the selector back to blue. `run` ends
 * promoted; `start` ends paused with traffic on green for a later promote.
 */
export async function runBlueGreen(context: RolloutContext, mode: 'run' | 'start'): Promise<RolloutResult> {
  const { settings, cluster } = context;
  const blueRef = deploymentRef(settings.namespace, settings.deployment);
  const greenRef = deploymentRef(settings.namespace, settings.canary);
  const blue = await cluster.read(blueRef);
  if (!blue) throw new ConfigurationError(`The blue ${describe(blueRef)} was not found: check the "deployment" and "namespace" inputs.`);
  const service = await readService(context);

  const green = await ensureCanaryDeployment(cluster, blue, settings, context.log);
  const blueReplicas: number = blue.spec?.replicas ?? 1;
  let state = await writeState(cluster, settings.namespace, settings.canary, { ...initialState('blue-green', [100], blueReplicas), stableSelector: service.spec?.selector ?? {} });
  const restore = (): Promise<void> => switchBackToBlue(context, state.stableSelector ?? {});

  await pinSelectorToBlue(context, blue, green);
  try {
    context.log(`Scaling green ${describe(greenRef)} to ${blueReplicas} replicas.`);
    await scaleDeployment(cluster, greenRef, blueReplicas);
    await waitForRollout(cluster, greenRef, settings.progressDeadlineMs, context.log, context.signal);
  } catch (error) {
    if (error instanceof RolloutError) return abortRollout(context, async () => {}, error.message);
    throw error;
  }

  const smokeFailure = await smokeTestGreen(context);
  if (smokeFailure) return abortRollout(context, async () => {}, smokeFailure);

  context.markTrafficShifted();
  await switchSelector(context, green.spec?.selector?.matchLabels ?? {}, 'green');
  state = await writeState(cluster, settings.namespace, settings.canary, { ...state, stepIndex: 0, weight: 100 });
  await context.pushgateway?.pushWeight(100);

  const measure = {
    prometheus: prometheusConnection(context),
    analysis: settings.analysis,
    namespace: settings.namespace,
    deployment: settings.deployment,
    canaryVersion: versionOf(green, settings.versionLabel),
    stableVersion: versionOf(blue, settings.versionLabel),
  };
  const outcome = await analyseStep(measure, { step: 1, weight: 100, pauseMs: settings.pausesMs[0]! }, stepHooks(context));
  if (outcome.verdict !== 'pass') return abortRollout(context, restore, outcome.reason, outcome.verdict === 'fail' ? 'aborted' : 'inconclusive');
  context.log(outcome.reason);

  const phase = mode === 'run' ? 'promoted' : 'paused';
  await writeState(cluster, settings.namespace, settings.canary, { ...state, phase, reason: outcome.reason });
  if (mode === 'start') return { decision: 'paused', weight: 100, reason: `Green serves all traffic and passed its observation window; a later job can promote or abort.` };
  // NOTE: blue keeps its replicas after promotion, as a standby for a fast switch back; scale it down in a later step.
  return { decision: 'promoted', weight: 100, reason: `Promoted: green ${describe(greenRef)} serves all traffic and passed its observation window.` };
}

/** Marks a paused blue-green switch as promoted; traffic is already on green. */
export async function promoteBlueGreen(context: RolloutContext): Promise<RolloutResult> {
  const { settings, cluster } = context;
  const greenRef = deploymentRef(settings.namespace, settings.canary);
  const green = await cluster.read(greenRef);
  const state = readState(green);
  if (!state || state.phase !== 'paused') throw new ConfigurationError(`Cannot promote ${describe(greenRef)}: ${state ? `its switch is ${state.phase}` : 'it carries no rollout state'}. Run action start first.`);
  await writeState(cluster, settings.namespace, settings.canary, { ...state, phase: 'promoted', reason: 'promoted' });
  return { decision: 'promoted', weight: 100, reason: `Promoted: green ${describe(greenRef)} keeps all traffic.` };
}

/** Returns the restore function of a blue-green switch: the Service selector back to blue. */
export function restoreBlue(context: RolloutContext, green: KubeObject | undefined): () => Promise<void> {
  const selector = readState(green)?.stableSelector;
  return async () => {
    if (selector) await switchBackToBlue(context, selector);
    else context.warn('The green Deployment records no blue selector, so the Service selector was left as it is.');
  };
}

/**
 * Moves the Service back to blue and restores the selector it had before
 * the switch. That selector usually matches green's pods too (they share
 * labels such as app), so the Service first selects blue's pod labels
 * only, and green is scaled to zero before the wider selector returns.
 */
async function switchBackToBlue(context: RolloutContext, stableSelector: Record<string, string>): Promise<void> {
  const { settings, cluster } = context;
  const blue = await cluster.read(deploymentRef(settings.namespace, settings.deployment));
  if (blue) {
    await switchSelector(context, podLabels(blue), 'blue only');
    const greenRef = deploymentRef(settings.namespace, settings.canary);
    if (await cluster.read(greenRef)) await scaleDeployment(cluster, greenRef, 0);
  }
  await switchSelector(context, stableSelector, 'blue');
}

function podLabels(deployment: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(deployment.spec?.template?.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  return labels;
}

/**
 * Narrows the Service selector to every pod label of blue before green gets
 * pods, because green copies blue's labels (such as app) and would
 * otherwise receive traffic before the switch. Throws when no label
 * distinguishes the two.
 */
async function pinSelectorToBlue(context: RolloutContext, blue: KubeObject, green: KubeObject): Promise<void> {
  const blueLabels = podLabels(blue);
  const greenLabels: Record<string, string> = green.spec?.template?.metadata?.labels ?? {};
  if (Object.entries(blueLabels).every(([key, value]) => greenLabels[key] === value)) {
    throw new ConfigurationError(`The pods of blue "${blue.metadata.name}" and green "${green.metadata.name}" have the same labels, so no Service selector can tell them apart: give green a different "${context.settings.versionLabel}" label (input canary-version).`);
  }
  await switchSelector(context, blueLabels, 'blue only');
}

async function readService(context: RolloutContext): Promise<KubeObject> {
  const ref = serviceRef(context.settings.namespace, context.settings.service);
  const service = await context.cluster.read(ref);
  if (!service) throw new ConfigurationError(`The ${describe(ref)} was not found: set the "service" input to the Service that routes to blue.`);
  return service;
}

/** Replaces the Service selector; keys of the old selector that the new one lacks are removed. */
async function switchSelector(context: RolloutContext, selector: Record<string, string>, color: string): Promise<void> {
  const ref = serviceRef(context.settings.namespace, context.settings.service);
  const current = (await context.cluster.read(ref))?.spec?.selector ?? {};
  const patch: Record<string, string | null> = { ...selector };
  for (const key of Object.keys(current)) if (!(key in selector)) patch[key] = null;

  await context.cluster.mergePatch(ref, { spec: { selector: patch } });
  context.log(`Switched ${describe(ref)} to ${color}: selector ${JSON.stringify(selector)}.`);
}
