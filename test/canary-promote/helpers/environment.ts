// A loopback cluster for canary tests: the Kubernetes simulator, stable and
// canary demo services, a real Prometheus scraping both, the sandbox router
// following the weights in the simulator, and bounded load through it.
import { afterAll, afterEach, beforeAll } from '@jest/globals';

import { startDemoService, type DemoService } from '@atom-actions/sandbox/demo/service';
import { findResourceByKind } from '@atom-actions/sandbox/kube/resources';
import { startKubeSimulator, type KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import type { KubeObject } from '@atom-actions/sandbox/kube/types';
import { startLoad, type LoadGenerator } from '@atom-actions/sandbox/load/load';
import { startPrometheus, type SandboxPrometheus } from '@atom-actions/sandbox/prometheus/prometheus';
import { backendHeader, startRouter, type SandboxRouter } from '@atom-actions/sandbox/router/router';
import type { RouterMode } from '@atom-actions/sandbox/router/weights';

/** Which routing objects to seed and how the router reads them. */
export type TestRouter = 'replicas' | 'nginx' | 'gateway-api' | 'smi' | 'blue-green';

/** One test's cluster and services. */
export interface CanaryEnvironment {
  sim: KubeSimulator;
  namespace: string;
  stable: DemoService;
  canary: DemoService;
  router: SandboxRouter;
  load: LoadGenerator;
  stop(): Promise<void>;
}

/** Options of one test's environment. */
export interface EnvironmentOptions {
  namespace: string;
  router: TestRouter;
  /** Replicas of the stable Deployment. Default 2. */
  replicas?: number;
  /** Requests per second through the router. Default 40. */
  ratePerSecond?: number;
  /** Seeds the canary Deployment too, with these pod annotations (such as a crash-loop behavior). */
  canaryPodAnnotations?: Record<string, string>;
}

const loadPath = '/health/live';

/**
 * Starts one test's environment and registers its demo services as
 * Prometheus targets labelled with the test's namespace, so that the
 * default `namespace="{{ namespace }}"` queries see only this test's data.
 */
export async function startEnvironment(prometheus: SandboxPrometheus, options: EnvironmentOptions, others: () => { url: string; labels: Record<string, string> }[]): Promise<CanaryEnvironment> {
  const sim = await startKubeSimulator({ timeScale: 10 });
  const { namespace } = options;
  sim.seed.namespace(namespace);
  seedStable(sim, namespace, options.replicas ?? 2);
  seedRouting(sim, namespace, options.router);
  if (options.canaryPodAnnotations) seedCanary(sim, namespace, options.canaryPodAnnotations);
  await sim.settle();

  const stable = await startDemoService({ version: 'v1' });
  const canary = await startDemoService({ version: 'v2' });
  prometheus.setTargets([
    ...others(),
    { url: stable.url, labels: { namespace } },
    { url: canary.url, labels: { namespace } },
  ]);

  const router = await startRouter({
    kubeconfig: sim.kubeconfig,
    source: routerSource(options.router, namespace),
    backends: options.router === 'replicas' || options.router === 'blue-green' ? { web: stable.url, 'web-canary': canary.url, 'web-green': canary.url } : { web: stable.url, 'web-canary': canary.url },
  });
  await prometheus.waitForTargets(20_000);
  const load = startLoad({ url: `${router.url}${loadPath}`, ratePerSecond: options.ratePerSecond ?? 40, durationMs: 120_000, countHeader: backendHeader });

  return {
    sim,
    namespace,
    stable,
    canary,
    router,
    load,
    stop: async () => {
      await load.stop();
      await router.stop();
      await stable.stop();
      await canary.stop();
      await sim.stop();
    },
  };
}

function routerSource(router: TestRouter, namespace: string): { mode: RouterMode; namespace: string; name: string } {
  const mode: RouterMode = router === 'replicas' || router === 'blue-green' ? 'service' : router;
  return { mode, namespace, name: 'web' };
}

function seedStable(sim: KubeSimulator, namespace: string, replicas: number): void {
  const labels = { app: 'web' };
  sim.seed.object({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels: { ...labels, version: 'v1' } }, spec: { containers: [{ name: 'web', image: 'registry.example/web:v1' }] } },
    },
  });
  sim.seed.object({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace },
    spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
}

function seedCanary(sim: KubeSimulator, namespace: string, podAnnotations: Record<string, string>): void {
  const labels = { app: 'web', track: 'canary' };
  sim.seed.object({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web-canary', namespace },
    spec: {
      replicas: 0,
      progressDeadlineSeconds: 30,
      selector: { matchLabels: labels },
      template: { metadata: { labels: { ...labels, version: 'v2' }, annotations: podAnnotations }, spec: { containers: [{ name: 'web', image: 'registry.example/web:v2' }] } },
    },
  });
}

function seedRouting(sim: KubeSimulator, namespace: string, router: TestRouter): void {
  if (router === 'nginx') {
    sim.seed.object({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace },
      spec: { rules: [{ host: 'web.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    });
  }
  if (router === 'gateway-api') {
    sim.seed.object({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace },
      spec: { parentRefs: [{ name: 'gateway' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    });
  }
  if (router === 'smi') {
    sim.seed.object({
      apiVersion: 'split.smi-spec.io/v1alpha3',
      kind: 'TrafficSplit',
      metadata: { name: 'web', namespace },
      spec: { service: 'web', backends: [{ service: 'web', weight: 100 }] },
    });
  }
}

/** Inputs every canary test shares: short pauses, a 6 s rate window, low min-requests. */
export function baseInputs(env: CanaryEnvironment, prometheusUrl: string): Record<string, string> {
  return {
    deployment: 'web',
    namespace: env.namespace,
    kubeconfig: env.sim.kubeconfig,
    'prometheus-url': prometheusUrl,
    images: 'web=registry.example/web:v2',
    'canary-version': 'v2',
    steps: '10,50,100',
    pause: '6s',
    interval: '3s',
    'query-interval': '6s',
    'min-requests': '3',
    environment: 'staging',
    'progress-deadline': '20s',
  };
}

/** Reads an object straight from the simulator's store, or undefined when it does not exist. */
export function readObject(env: CanaryEnvironment, apiVersion: string, kind: string, name: string): KubeObject | undefined {
  const type = findResourceByKind(apiVersion, kind);
  if (!type) throw new Error(`the simulator does not serve ${apiVersion} ${kind}`);
  return env.sim.store.get(type, env.namespace, name);
}

/** Polls until `condition` holds, for at most `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A test file's shared Prometheus and the environment of the test that is running. */
export interface CanaryFixture {
  prometheus(): SandboxPrometheus;
  /** Starts the running test's environment; afterEach stops it. */
  start(options: EnvironmentOptions): Promise<CanaryEnvironment>;
}

/**
 * Registers the hooks of a canary test file: one Prometheus for the file
 * (started in beforeAll, stopped in afterAll) and one environment per test
 * (stopped in afterEach).
 */
export function useCanaryFixture(): CanaryFixture {
  let prometheus: SandboxPrometheus | undefined;
  let current: CanaryEnvironment | undefined;

  beforeAll(async () => {
    prometheus = await startPrometheus();
  });
  afterAll(async () => {
    await prometheus?.stop();
  });
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });

  return {
    prometheus: () => prometheus!,
    start: async (options) => {
      current = await startEnvironment(prometheus!, options, () => []);
      return current;
    },
  };
}
