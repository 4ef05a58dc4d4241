import { startDemoService, type DemoService } from '../demo/service.ts';
import type { DemoFaults } from '../demo/faults.ts';
import { startKubeSimulator, type KubeSimulator } from '../kube/simulator.ts';
import { startLoad, type LoadGenerator } from '../load/load.ts';
import { startPrometheus, type SandboxPrometheus } from '../prometheus/prometheus.ts';
import { startPushgateway, type SandboxPushgateway } from '../prometheus/pushgateway.ts';
import { startReceivers, type Receivers } from '../receivers/receivers.ts';
import { startRouter, type SandboxRouter } from '../router/router.ts';
import { ensurePrograms, prometheusPrograms } from './binaries.ts';
import { seedEnvironment } from './seed.ts';

/** How to start the demo stack. */
export interface StackOptions {
  /** Speed of the simulated cluster's clock. Default 20. */
  timeScale?: number;
  /** Requests per second through the production router. Default 40. */
  ratePerSecond?: number;
  /** Receives one line per part started or stopped. */
  log?: (line: string) => void;
}

/** One environment's cluster namespace and the demo service that plays its pods. */
export interface StagingEnvironment {
  namespace: 'staging';
  service: DemoService;
}

/** Production: stable v1 and canary v2 behind the router, which follows the weights set in the cluster. */
export interface ProductionEnvironment {
  namespace: 'production';
  stable: DemoService;
  canary: DemoService;
  router: SandboxRouter;
  load: LoadGenerator;
}

/** Everything the demo runs on this machine, all on loopback. */
export interface DemoStack {
  sim: KubeSimulator;
  staging: StagingEnvironment;
  production: ProductionEnvironment;
  prometheus: SandboxPrometheus;
  pushgateway: SandboxPushgateway;
  receivers: Receivers;
  /** Replaces the faults of the canary version v2 in production. */
  setCanaryFaults(faults: DemoFaults): void;
  /** Stops every part, newest first; safe to call more than once. */
  stop(): Promise<void>;
}

/** The Deployment both environments run, and the label that carries its version. */
export const appName = 'atom';

/**
 * Starts the whole sandbox for the demo. It runs the Kubernetes simulator
 * with a staging and a production namespace, and the demo service as
 * staging, as production stable v1 and as canary v2. The router sends a
 * bounded load, and a real Prometheus, a Pushgateway and the notification
 * receivers run beside them. A part that fails to start stops the others.
 */
export async function startDemoStack(options: StackOptions = {}): Promise<DemoStack> {
  const log = options.log ?? (() => {});
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const stopPart of stoppers.splice(0).reverse()) await stopPart().catch(() => {});
  };

  try {
    const binaries = ensurePrograms(prometheusPrograms, log);

    const sim = await startKubeSimulator({ timeScale: options.timeScale ?? 20 });
    stoppers.push(() => sim.stop());
    seedEnvironment(sim);
    await sim.settle();
    log(`Kubernetes simulator: ${sim.url} (kubeconfig ${sim.kubeconfigPath})`);

    const stagingService = await startDemoService({ version: 'v1' });
    const stable = await startDemoService({ version: 'v1' });
    const canary = await startDemoService({ version: 'v2' });
    stoppers.push(() => stagingService.stop(), () => stable.stop(), () => canary.stop());
    log(`Demo service: staging ${stagingService.url}, production stable v1 ${stable.url}, canary v2 ${canary.url}`);

    const prometheus = await startPrometheus({
      binary: binaries['prometheus'],
      targets: [
        { url: stagingService.url, labels: { namespace: 'staging' } },
        { url: stable.url, labels: { namespace: 'production' } },
        { url: canary.url, labels: { namespace: 'production' } },
      ],
    });
    stoppers.push(() => prometheus.stop());
    const pushgateway = await startPushgateway({ binary: binaries['prometheus-pushgateway'] });
    stoppers.push(() => pushgateway.stop());
    prometheus.setTargets([
      { url: stagingService.url, labels: { namespace: 'staging' } },
      { url: stable.url, labels: { namespace: 'production' } },
      { url: canary.url, labels: { namespace: 'production' } },
      { url: pushgateway.url, labels: { job: 'pushgateway' } },
    ]);
    await prometheus.waitForTargets(30_000);
    log(`Prometheus: ${prometheus.url}, Pushgateway: ${pushgateway.url}`);

    const receivers = await startReceivers();
    stoppers.push(() => receivers.stop());
    log(`Receivers: Slack ${receivers.urls.slack}, GitHub ${receivers.urls.github}`);

    const router = await startRouter({
      kubeconfig: sim.kubeconfig,
      source: { mode: 'service', namespace: 'production', name: appName },
      backends: { [appName]: stable.url, [`${appName}-canary`]: canary.url },
    });
    stoppers.push(() => router.stop());
    const load = startLoad({ url: `${router.url}/health/live`, ratePerSecond: options.ratePerSecond ?? 40, durationMs: 10 * 60_000 });
    stoppers.push(async () => void (await load.stop()));
    log(`Router: ${router.url}, sending ${options.ratePerSecond ?? 40} requests per second for at most 10 minutes`);

    return {
      sim,
      staging: { namespace: 'staging', service: stagingService },
      production: { namespace: 'production', stable, canary, router, load },
      prometheus,
      pushgateway,
      receivers,
      setCanaryFaults: (faults) => canary.setFaults(faults),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
