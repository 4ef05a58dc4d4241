import { describe, type ObjectRef } from '../kube/cluster.ts';
import { managedByAnnotation, managedByValue } from '../state.ts';
import { ensureCanaryService, removeIfManaged, serviceRef } from './canary-service.ts';
import type { RouterContext, TrafficRouter } from './router.ts';

/**
 * Splits traffic with an SMI TrafficSplit (split.smi-spec.io/v1alpha3) whose
 * root service is the stable Service and whose backends are the stable and
 * canary Services. The TrafficSplit is created when missing.
 */
export function smiRouter(context: RouterContext): TrafficRouter {
  const { cluster, settings, log } = context;
  const splitRef: ObjectRef = { apiVersion: 'split.smi-spec.io/v1alpha3', kind: 'TrafficSplit', namespace: settings.namespace, name: settings.trafficSplit };
  const backends = (weight: number): { service: string; weight: number }[] => [
    { service: settings.service, weight: 100 - weight },
    { service: settings.canaryService, weight },
  ];

  return {
    kind: 'smi',
    async prepare(canary) {
      await ensureCanaryService(cluster, settings.namespace, settings.service, settings.canaryService, canary, log);
      if (await cluster.read(splitRef)) return;
      log(`Creating ${describe(splitRef)} with all traffic on "${settings.service}".`);
      await cluster.create({
        apiVersion: splitRef.apiVersion,
        kind: 'TrafficSplit',
        metadata: { name: splitRef.name, namespace: settings.namespace, annotations: { [managedByAnnotation]: managedByValue } },
        spec: { service: settings.service, backends: backends(0) },
      });
    },
    async setWeight(weight) {
      await cluster.mergePatch(splitRef, { spec: { backends: backends(weight) } });
      log(`Set TrafficSplit weights on ${describe(splitRef)}: ${settings.service}=${100 - weight}, ${settings.canaryService}=${weight}.`);
      return weight;
    },
    async restoreStable() {
      if (!(await cluster.read(splitRef))) return;
      await cluster.mergePatch(splitRef, { spec: { backends: backends(0) } });
      log(`Set TrafficSplit weights on ${describe(splitRef)}: ${settings.service}=100, ${settings.canaryService}=0.`);
    },
    async removeCanaryRouting() {
      await cluster.mergePatch(splitRef, { spec: { backends: [{ service: settings.service, weight: 100 }] } });
      await removeIfManaged(cluster, splitRef, log);
      await removeIfManaged(cluster, serviceRef(settings.namespace, settings.canaryService), log);
    },
  };
}
