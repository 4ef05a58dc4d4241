import type { RolloutContext, RolloutResult } from '../context.ts';
import { deploymentRef } from '../kube/deployments.ts';
import { restoreBlue } from '../strategies/blue-green.ts';
import { routerFor } from '../strategies/canary.ts';
import { readState } from '../state.ts';
import { abortRollout, restoreWithRouter } from './abort.ts';

/**
 * Restores stable from whatever state the rollout is in: the router
 * recorded on the canary (or given by the inputs) sends all traffic to
 * stable and the canary is scaled to zero. A missing canary Deployment
 * is not an error, so an abort job can run after any earlier outcome.
 */
export async function abortFromAnyState(context: RolloutContext, reason: string): Promise<RolloutResult> {
  const { settings, cluster } = context;
  const canary = await cluster.read(deploymentRef(settings.namespace, settings.canary));
  const state = readState(canary);
  const strategy = state?.strategy ?? settings.strategy;
  context.log(`Aborting ${strategy} rollout${state ? ` (phase ${state.phase}, weight ${state.weight}%)` : ' (no rollout state recorded)'}.`);

  if (strategy === 'blue-green') return abortRollout(context, restoreBlue(context, canary), reason);

  const stable = await cluster.read(deploymentRef(settings.namespace, settings.deployment));
  const router = routerFor(context, state, stable?.spec?.replicas ?? 1);
  return abortRollout(context, restoreWithRouter(router), reason);
}
