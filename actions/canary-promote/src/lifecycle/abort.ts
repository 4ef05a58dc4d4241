import { rollbackDeployment } from '@atom-actions/shared/rollback/rollback';

import type { RolloutContext, RolloutResult } from '../context.ts';
import { describe, type KubeObject } from '../kube/cluster.ts';
import { deploymentRef, scaleDeployment } from '../kube/deployments.ts';
import type { TrafficRouter } from '../routers/router.ts';
import { readState, writeState, type RolloutPhase } from '../state.ts';

/**
 * Sends all traffic back to stable at once, scales the canary to zero and
 * records the phase on the canary. With on-failure rollback and an
 * `aborted` phase, also rolls the stable Deployment back to its previous
 * revision through the shared rollback library.
 */
export async function abortRollout(context: RolloutContext, restore: () => Promise<void>, reason: string, phase: Extract<RolloutPhase, 'aborted' | 'inconclusive'> = 'aborted'): Promise<RolloutResult> {
  const { settings, cluster } = context;
  const canaryRef = deploymentRef(settings.namespace, settings.canary);
  context.warn(`Restoring stable: ${reason}`);

  await restore();
  const canary = await cluster.read(canaryRef);
  if (canary) {
    await scaleDeployment(cluster, canaryRef, 0);
    context.log(`Scaled ${describe(canaryRef)} to 0 replicas.`);
    await recordPhase(context, canary, phase, reason);
  }
  await context.pushgateway?.pushWeight(0);

  if (phase === 'aborted' && settings.onFailure === 'rollback') await rollbackStable(context, reason);
  return { decision: phase, weight: 0, reason };
}

/** Returns the restore function of a canary router: stable routing only. */
export function restoreWithRouter(router: TrafficRouter): () => Promise<void> {
  return () => router.restoreStable();
}

async function recordPhase(context: RolloutContext, canary: KubeObject, phase: RolloutPhase, reason: string): Promise<void> {
  const state = readState(canary);
  if (!state) return;
  await writeState(context.cluster, context.settings.namespace, context.settings.canary, { ...state, phase, weight: 0, reason });
}

async function rollbackStable(context: RolloutContext, reason: string): Promise<void> {
  const { settings } = context;
  context.log(`on-failure is rollback: rolling Deployment "${settings.deployment}" back to its previous revision.`);
  const result = await rollbackDeployment(
    context.client,
    { deployment: settings.deployment, namespace: settings.namespace, timeoutMs: settings.progressDeadlineMs, wait: true, reason: `canary aborted: ${reason}` },
    { info: context.log, warning: context.warn },
  );
  if (result.outcome === 'failed') context.warn(`Rollback of Deployment "${settings.deployment}" failed: ${result.message}`);
  else context.log(`Rollback of Deployment "${settings.deployment}": ${result.outcome}, ${result.message}.`);
}
