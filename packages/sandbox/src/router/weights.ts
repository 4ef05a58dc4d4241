import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';

/** Which object decides the split, and how to read it. */
export type RouterMode = 'service' | 'nginx' | 'gateway-api' | 'smi';

/** The cluster object that the router reads its weights from. */
export interface WeightSource {
  mode: RouterMode;
  namespace: string;
  /**
   * The object that decides the split: the Service (`service` mode, for the
   * replicas router and blue-green), the stable Ingress (`nginx`), the
   * HTTPRoute (`gateway-api`) or the TrafficSplit (`smi`).
   */
  name: string;
}

/** Weight per backend name: a Deployment name in `service` mode, a Service name otherwise. */
export type Weights = Record<string, number>;

type AnyObject = KubernetesObject & { spec?: any; status?: any };

/** Reads the current weights of every backend from the cluster. */
export async function readWeights(api: KubernetesObjectApi, source: WeightSource): Promise<Weights> {
  switch (source.mode) {
    case 'service':
      return serviceWeights(api, source);
    case 'nginx':
      return nginxWeights(api, source);
    case 'gateway-api':
      return gatewayWeights(api, source);
    case 'smi':
      return smiWeights(api, source);
  }
}

/**
 * Weights of a plain Service: each Deployment whose pod labels match the
 * Service selector gets its ready replica count, as kube-proxy spreads
 * connections over ready endpoints.
 */
async function serviceWeights(api: KubernetesObjectApi, source: WeightSource): Promise<Weights> {
  const service = await read(api, 'v1', 'Service', source);
  const selector: Record<string, string> = service.spec?.selector ?? {};
  const deployments = await api.list<AnyObject>('apps/v1', 'Deployment', source.namespace);
  const weights: Weights = {};
  for (const deployment of deployments.items) {
    const labels: Record<string, string> = deployment.spec?.template?.metadata?.labels ?? {};
    const matches = Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);
    if (matches) weights[deployment.metadata?.name ?? ''] = deployment.status?.readyReplicas ?? 0;
  }
  return weights;
}

/**
 * Weights of ingress-nginx canary routing: the stable Ingress's backend gets
 * what the canary Ingresses (annotation `nginx.ingress.kubernetes.io/canary:
 * "true"`) on the same host leave, and each canary Ingress gets its
 * `canary-weight` out of `canary-weight-total` (default 100).
 */
async function nginxWeights(api: KubernetesObjectApi, source: WeightSource): Promise<Weights> {
  const stable = await read(api, 'networking.k8s.io/v1', 'Ingress', source);
  const host = firstRule(stable)?.host;
  const ingresses = await api.list<AnyObject>('networking.k8s.io/v1', 'Ingress', source.namespace);
  const weights: Weights = {};
  let canaryTotal = 0;
  let total = 100;

  for (const ingress of ingresses.items) {
    const annotations = ingress.metadata?.annotations ?? {};
    if (annotations['nginx.ingress.kubernetes.io/canary'] !== 'true' || firstRule(ingress)?.host !== host) continue;
    const service = backendService(ingress);
    const weight = Number(annotations['nginx.ingress.kubernetes.io/canary-weight'] ?? '0');
    total = Number(annotations['nginx.ingress.kubernetes.io/canary-weight-total'] ?? '100');
    if (service) weights[service] = (weights[service] ?? 0) + weight;
    canaryTotal += weight;
  }

  const stableService = backendService(stable);
  if (stableService) weights[stableService] = Math.max(0, total - canaryTotal);
  return weights;
}

/** Weights of the first rule's backendRefs of an HTTPRoute (weight 1 when unset, as Gateway API defines). */
async function gatewayWeights(api: KubernetesObjectApi, source: WeightSource): Promise<Weights> {
  const route = await read(api, 'gateway.networking.k8s.io/v1', 'HTTPRoute', source);
  const references: { name: string; weight?: number }[] = route.spec?.rules?.[0]?.backendRefs ?? [];
  return Object.fromEntries(references.map((reference) => [reference.name, reference.weight ?? 1]));
}

/** Weights of an SMI TrafficSplit's backends. */
async function smiWeights(api: KubernetesObjectApi, source: WeightSource): Promise<Weights> {
  const split = await read(api, 'split.smi-spec.io/v1alpha3', 'TrafficSplit', source);
  const backends: { service: string; weight: number }[] = split.spec?.backends ?? [];
  return Object.fromEntries(backends.map((backend) => [backend.service, Number(backend.weight)]));
}

function read(api: KubernetesObjectApi, apiVersion: string, kind: string, source: WeightSource): Promise<AnyObject> {
  return api.read<AnyObject>({ apiVersion, kind, metadata: { name: source.name, namespace: source.namespace } });
}

function firstRule(ingress: AnyObject): { host?: string; http?: { paths?: { backend?: { service?: { name?: string } } }[] } } | undefined {
  return ingress.spec?.rules?.[0];
}

function backendService(ingress: AnyObject): string | undefined {
  return firstRule(ingress)?.http?.paths?.[0]?.backend?.service?.name ?? ingress.spec?.defaultBackend?.service?.name;
}
