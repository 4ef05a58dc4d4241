import type { RolloutContext, RolloutResult } from '../context.ts';
import { describe, type KubeObject } from '../kube/cluster.ts';
import { roleLabel } from '../kube/canary-deployment.ts';
import { deploymentRef, waitForRollout } from '../kube/deployments.ts';
import type { TrafficRouter } from '../routers/router.ts';
import { managedByAnnotation, managedByValue, readState, writeState } from '../state.ts';

/**
 * Promotes the canary. The stable Deployment takes the canary's pod
 * template and its original replica count, rolls out and must become
 * ready. Only then does routing return to stable alone, and the canary is
 * deleted when this action created it, else scaled to zero.
 */
export async function promoteCanary(context: RolloutContext, router: TrafficRouter, canary: KubeObject, stableReplicas: number): Promise<RolloutResult> {
  const { settings, cluster } = context;
  const stableRef = deploymentRef(settings.namespace, settings.deployment);
  const canaryRef = deploymentRef(settings.namespace, settings.canary);
  const stable = await cluster.read(stableRef);
  if (!stable) throw new Error(`The stable ${describe(stableRef)} disappeared during the rollout.`);

  context.log(`Promoting: ${describe(stableRef)} takes the pod template of the canary and ${stableReplicas} replicas.`);
  await cluster.mergePatch(stableRef, { spec: { replicas: stableReplicas, template: promotedTemplate(stable, canary) } });
  await waitForRollout(cluster, stableRef, settings.progressDeadlineMs, context.log, context.signal);

  await router.restoreStable();
  await router.removeCanaryRouting();
  await retireCanary(context, canary);
  await context.pushgateway?.pushWeight(0);
  return { decision: 'promoted', weight: 100, reason: `Promoted: ${describe(stableRef)} runs the canary's template and is ready.` };
}

/**
 * Returns the canary's pod template with the labels the stable selector
 * matches kept from stable, and without the canary role label, so the
 * stable Deployment's selector still matches its pods.
 */
export function promotedTemplate(stable: KubeObject, canary: KubeObject): Record<string, unknown> {
  const template = structuredClone(canary.spec?.template ?? {});
  const selector: Record<string, string> = stable.spec?.selector?.matchLabels ?? {};
  const labels: Record<string, string | null> = { ...(template.metadata?.labels ?? {}), ...selector };
  delete labels[roleLabel];

  // A merge patch keeps map keys it does not mention, so the role label is removed explicitly.
  if (stable.spec?.template?.metadata?.labels?.[roleLabel] === undefined) labels[roleLabel] = null;
  return { ...template, metadata: { ...(template.metadata ?? {}), labels } };
}

async function retireCanary(context: RolloutContext, canary: KubeObject): Promise<void> {
  const { settings, cluster } = context;
  const canaryRef = deploymentRef(settings.namespace, settings.canary);
  if (canary.metadata.annotations?.[managedByAnnotation] === managedByValue) {
    context.log(`Deleting ${describe(canaryRef)}, which this action created.`);
    await cluster.remove(canaryRef);
    return;
  }

  context.log(`Scaling ${describe(canaryRef)} to 0; it was not created by this action, so it is kept.`);
  await cluster.mergePatch(canaryRef, { spec: { replicas: 0 } });
  const state = readState(canary);
  if (state) await writeState(cluster, settings.namespace, settings.canary, { ...state, phase: 'promoted', weight: 0, reason: 'promoted' });
}
