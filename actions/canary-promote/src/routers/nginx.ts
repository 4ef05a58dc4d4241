import { ConfigurationError } from '@atom-actions/shared/errors';

import { describe, type ObjectRef } from '../kube/cluster.ts';
import { managedByAnnotation, managedByValue } from '../state.ts';
import { ensureCanaryService, removeIfManaged, serviceRef } from './canary-service.ts';
import type { RouterContext, TrafficRouter } from './router.ts';

const canaryAnnotation = 'nginx.ingress.kubernetes.io/canary';
const weightAnnotation = 'nginx.ingress.kubernetes.io/canary-weight';

/**
 * Splits traffic with ingress-nginx canary routing: a second Ingress named
 * `<ingress>-canary`, a copy of the stable one whose backend is the canary
 * Service, marked `canary: "true"` with `canary-weight` in percent.
 */
export function nginxRouter(context: RouterContext): TrafficRouter {
  const { cluster, settings, log } = context;
  const stableRef: ObjectRef = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: settings.namespace, name: settings.ingress };
  const canaryRef: ObjectRef = { ...stableRef, name: `${settings.ingress}-canary` };

  const setCanaryWeight = async (weight: number): Promise<number> => {
    await cluster.mergePatch(canaryRef, { metadata: { annotations: { [weightAnnotation]: String(weight) } } });
    log(`Set ${weightAnnotation}: "${weight}" on ${describe(canaryRef)}.`);
    return weight;
  };

  return {
    kind: 'nginx',
    async prepare(canary) {
      await ensureCanaryService(cluster, settings.namespace, settings.service, settings.canaryService, canary, log);
      if (await cluster.read(canaryRef)) return;

      const stable = await cluster.read(stableRef);
      if (!stable) throw new ConfigurationError(`The stable ${describe(stableRef)} was not found: set the "ingress" input to the Ingress that routes to the stable Service.`);
      const spec = JSON.parse(JSON.stringify(stable.spec ?? {}).replaceAll(`"name":${JSON.stringify(settings.service)}`, `"name":${JSON.stringify(settings.canaryService)}`));
      log(`Creating the canary ${describe(canaryRef)} with weight 0.`);
      await cluster.create({
        apiVersion: stableRef.apiVersion,
        kind: 'Ingress',
        metadata: {
          name: canaryRef.name,
          namespace: settings.namespace,
          annotations: { [canaryAnnotation]: 'true', [weightAnnotation]: '0', [managedByAnnotation]: managedByValue },
        },
        spec,
      });
    },
    setWeight: setCanaryWeight,
    async restoreStable() {
      if (await cluster.read(canaryRef)) await setCanaryWeight(0);
    },
    async removeCanaryRouting() {
      await removeIfManaged(cluster, canaryRef, log);
      await removeIfManaged(cluster, serviceRef(settings.namespace, settings.canaryService), log);
    },
  };
}
