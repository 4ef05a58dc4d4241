import { deploymentRef, scaleDeployment, waitForRollout } from '../kube/deployments.ts';
import type { RouterContext, TrafficRouter } from './router.ts';

/**
 * Splits traffic by replica count: the stable and canary Deployments sit
 * behind one Service, which spreads requests over ready pods. The stable
 * replica count N is shared out, so weight w gives the canary round(N·w/100)
 * replicas (at least 1 while w > 0) and the weight in effect is that share of N.
 */
export function replicasRouter(context: RouterContext): TrafficRouter {
  const { cluster, settings, log } = context;
  const stableRef = deploymentRef(settings.namespace, settings.deployment);
  const canaryRef = deploymentRef(settings.namespace, settings.canary);
  const total = Math.max(1, context.stableReplicas);

  return {
    kind: 'replicas',
    prepare: async () => {},
    async setWeight(weight) {
      const canaryReplicas = canaryReplicasFor(weight, total);
      const effective = Math.round((canaryReplicas / total) * 1000) / 10;
      log(`Scaling canary to ${canaryReplicas} and stable to ${total - canaryReplicas} of ${total} replicas (requested weight ${weight}%, effective ${effective}%).`);

      // The canary's pods must be ready before stable gives up any, so capacity never drops.
      await scaleDeployment(cluster, canaryRef, canaryReplicas);
      await waitForRollout(cluster, canaryRef, settings.progressDeadlineMs, log, context.signal);
      await scaleDeployment(cluster, stableRef, total - canaryReplicas);
      return effective;
    },
    async restoreStable() {
      log(`Scaling stable back to ${total} replicas and the canary to 0.`);
      await scaleDeployment(cluster, stableRef, total);
      await scaleDeployment(cluster, canaryRef, 0);
    },
    async removeCanaryRouting() {
      await scaleDeployment(cluster, canaryRef, 0);
    },
  };
}

/** Returns the canary replica count for a weight: round(N·w/100), at least 1 while the weight is above 0. */
export function canaryReplicasFor(weight: number, total: number): number {
  if (weight <= 0) return 0;
  return Math.min(total, Math.max(1, Math.round((total * weight) / 100)));
}
