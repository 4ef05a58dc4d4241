import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AccessControl } from './access.ts';
import { SimClock } from './clock.ts';
import { Controllers } from './controller/controllers.ts';
import { FaultInjector } from './faults.ts';
import { buildKubeconfig } from './kubeconfig.ts';
import { Registry } from './registry.ts';
import { kinds } from './resources.ts';
import { Seeder } from './seed.ts';
import { handleRequest, type RequestRecord } from './server.ts';
import { Store } from './store.ts';
import { generateTlsMaterial } from './tls.ts';

/** Options of startKubeSimulator. */
export interface KubeSimulatorOptions {
  /**
   * How many times faster than real time the simulated clock runs for
   * controller delays, pod readiness, minReadySeconds, crash-loop back-off
   * and progress deadlines. Timestamps written to objects stay real. Default 1.
   */
  timeScale?: number;
  /** Path of the kubeconfig file to write. When unset, a new temporary file is used and stop() removes it. */
  kubeconfigPath?: string;
  /** TCP port on 127.0.0.1; an ephemeral port when unset or 0. */
  port?: number;
  /** Events kept for watches that resume from a resourceVersion; older ones get 410 Expired. Default 10000. */
  watchHistoryLimit?: number;
}

/** Options of settle(). */
export interface SettleOptions {
  /** Also wait for pending progress-deadline checks, so stuck rollouts end as ProgressDeadlineExceeded. Default false. */
  includeProgressDeadlines?: boolean;
  /** Real milliseconds to wait at most before raising an error. Default 30000. */
  timeoutMs?: number;
}

/** A running simulator; see the sandbox README for a guide. */
export interface KubeSimulator {
  /** Kubeconfig YAML: server https://127.0.0.1:PORT, the CA data and a bearer-token user. */
  readonly kubeconfig: string;
  readonly kubeconfigPath: string;
  /** The server URL, such as `https://127.0.0.1:40123`. */
  readonly url: string;
  /** The PEM certificate of the CA that signed the server certificate. */
  readonly caPem: string;
  /** The bearer token of the default user. */
  readonly token: string;
  readonly timeScale: number;
  /** Fault injection per route. */
  readonly faults: FaultInjector;
  /** Bearer tokens and deny rules, which produce 401 and 403 responses. */
  readonly access: AccessControl;
  /** Every served request, in order. Tests may clear it with `sim.requests.length = 0`. */
  readonly requests: RequestRecord[];
  /** Raw object storage, for reading state and compacting the watch history. */
  readonly store: Store;
  /** API semantics on top of the store: create, update and delete as a client would. */
  readonly registry: Registry;
  /** Helpers that put objects straight into the store. */
  readonly seed: Seeder;
  /** Builds a kubeconfig for another token (see access.addToken) or namespace. */
  kubeconfigFor(options: { token?: string; namespace?: string }): string;
  /** Resolves when the controllers have nothing left to do: every rollout is complete or stuck. */
  settle(options?: SettleOptions): Promise<void>;
  /** Stops controllers, closes watches and the server, and removes a temporary kubeconfig. */
  stop(): Promise<void>;
}

/**
 * Starts a simulated Kubernetes API server on 127.0.0.1 over HTTPS, with
 * the deployment and ReplicaSet controllers and simulated pods, and writes
 * a kubeconfig for it. The namespaces default, kube-system, kube-public and
 * kube-node-lease exist from the start.
 */
export async function startKubeSimulator(options: KubeSimulatorOptions = {}): Promise<KubeSimulator> {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);

  const store = new Store({ historyLimit: options.watchHistoryLimit });
  const registry = new Registry(store);
  const access = new AccessControl();
  const faults = new FaultInjector();
  const requests: RequestRecord[] = [];
  const watches = new Set<() => void>();
  createInitialObjects(registry);

  const clock = new SimClock(timeScale);
  const controllers = new Controllers(registry, clock);
  const tls = generateTlsMaterial();
  let address = '127.0.0.1:0';
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (request, response) => {
    void handleRequest({ registry, access, faults, requests, address: () => address, watches }, request, response);
  });
  const port = await listen(server, options.port ?? 0);
  address = `127.0.0.1:${port}`;
  const url = `https://${address}`;
  controllers.start();

  const temporaryDirectory = options.kubeconfigPath ? undefined : await mkdtemp(join(tmpdir(), 'atom-kube-sim-'));
  const kubeconfigPath = options.kubeconfigPath ?? join(temporaryDirectory!, 'kubeconfig');
  const kubeconfig = buildKubeconfig({ url, caPem: tls.caPem, token: access.defaultToken });
  await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });

  return {
    kubeconfig,
    kubeconfigPath,
    url,
    caPem: tls.caPem,
    token: access.defaultToken,
    timeScale,
    faults,
    access,
    requests,
    store,
    registry,
    seed: new Seeder(registry),
    kubeconfigFor: (choice) => buildKubeconfig({ url, caPem: tls.caPem, token: choice.token ?? access.defaultToken, namespace: choice.namespace }),
    settle: (settleOptions) => controllers.settle(settleOptions),
    stop: async () => {
      controllers.stop();
      for (const close of [...watches]) close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (temporaryDirectory) await rm(temporaryDirectory, { recursive: true, force: true });
    },
  };
}

function createInitialObjects(registry: Registry): void {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    registry.create(kinds.namespace, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  registry.create(kinds.service, 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
