import { ConfigurationError } from '@atom-actions/shared/errors';

import { describe, type KubeObject, type ObjectRef } from '../kube/cluster.ts';
import { ensureCanaryService, removeIfManaged, serviceRef } from './canary-service.ts';
import type { RouterContext, TrafficRouter } from './router.ts';

interface BackendRef {
  name: string;
  weight?: number;
  [key: string]: unknown;
}

interface RouteRule {
  backendRefs?: BackendRef[];
  [key: string]: unknown;
}

/**
 * Splits traffic with Gateway API: in every rule of the HTTPRoute that sends
 * to the stable Service, the stable backendRef gets weight 100 − w and a
 * canary backendRef (same port) gets w.
 */
export function gatewayApiRouter(context: RouterContext): TrafficRouter {
  const { cluster, settings, log } = context;
  const routeRef: ObjectRef = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', namespace: settings.namespace, name: settings.httpRoute };

  const readRoute = async (): Promise<KubeObject> => {
    const route = await cluster.read(routeRef);
    if (!route) throw new ConfigurationError(`The ${describe(routeRef)} was not found: set the "http-route" input to the HTTPRoute that routes to the stable Service.`);
    return route;
  };

  const writeWeights = async (weight: number | undefined): Promise<void> => {
    const route = await readRoute();
    const rules: RouteRule[] = route.spec?.rules ?? [];
    const updated = rules.map((rule) => withWeights(rule, settings.service, settings.canaryService, weight));
    await cluster.mergePatch(routeRef, { spec: { rules: updated } });
  };

  return {
    kind: 'gateway-api',
    async prepare(canary) {
      await ensureCanaryService(cluster, settings.namespace, settings.service, settings.canaryService, canary, log);
      const route = await readRoute();
      const rules: RouteRule[] = route.spec?.rules ?? [];
      if (!rules.some((rule) => rule.backendRefs?.some((reference) => reference.name === settings.service))) {
        throw new ConfigurationError(`The ${describe(routeRef)} has no backendRef to the stable Service "${settings.service}": set the "service" input to the Service it routes to.`);
      }
    },
    async setWeight(weight) {
      await writeWeights(weight);
      log(`Set backendRef weights on ${describe(routeRef)}: ${settings.service}=${100 - weight}, ${settings.canaryService}=${weight}.`);
      return weight;
    },
    async restoreStable() {
      await writeWeights(0);
      log(`Set backendRef weights on ${describe(routeRef)}: ${settings.service}=100, ${settings.canaryService}=0.`);
    },
    async removeCanaryRouting() {
      await writeWeights(undefined);
      log(`Removed the canary backendRef from ${describe(routeRef)}.`);
      await removeIfManaged(cluster, serviceRef(settings.namespace, settings.canaryService), log);
    },
  };
}

/** Rewrites the backendRefs of a rule that routes to stable; `weight` undefined removes the canary reference. */
export function withWeights(rule: RouteRule, stable: string, canary: string, weight: number | undefined): RouteRule {
  const references = rule.backendRefs ?? [];
  const stableReference = references.find((reference) => reference.name === stable);
  if (!stableReference) return rule;

  const others = references.filter((reference) => reference.name !== stable && reference.name !== canary);
  if (weight === undefined) return { ...rule, backendRefs: [...others, { ...stableReference, weight: 100 }] };
  return { ...rule, backendRefs: [...others, { ...stableReference, weight: 100 - weight }, { ...stableReference, name: canary, weight }] };
}
