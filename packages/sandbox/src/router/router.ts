import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';

import { WeightedPicker } from './pick.ts';
import { readWeights, type WeightSource, type Weights } from './weights.ts';

/** How to start the sandbox router. */
export interface RouterOptions {
  /** Kubeconfig YAML of the cluster (the simulator's) that contains the routing objects. */
  kubeconfig: string;
  source: WeightSource;
  /** Base URL per backend name: Deployment names in `service` mode, Service names otherwise. */
  backends: Record<string, string>;
  /** How often the weights are read from the cluster. Default 200 ms. */
  pollIntervalMs?: number;
  /** Port on 127.0.0.1. Default 0 (a free port). */
  port?: number;
}

/** A running sandbox router. */
export interface SandboxRouter {
  url: string;
  /** The weights read last. */
  weights(): Weights;
  /** Requests forwarded per backend so far. */
  counts(): Record<string, number>;
  /** Reads the weights now instead of waiting for the next poll. */
  refresh(): Promise<Weights>;
  stop(): Promise<void>;
}

/** The response header that names the backend that served a request. */
export const backendHeader = 'x-sandbox-backend';

/**
 * Starts an HTTP proxy on 127.0.0.1 that sends each request to a backend
 * chosen by the weights currently set in the cluster, as the real ingress
 * controller, gateway or mesh would. Requests get 503 while no backend with
 * a known URL has weight, and 502 when the backend sends no response.
 */
export async function startRouter(options: RouterOptions): Promise<SandboxRouter> {
  const config = new KubeConfig();
  config.loadFromString(options.kubeconfig);
  const api = KubernetesObjectApi.makeApiClient(config);
  const picker = new WeightedPicker();
  const counts: Record<string, number> = {};
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  let weights: Weights = {};
  let pollFailures = 0;

  const refresh = async (): Promise<Weights> => {
    const read = await readWeights(api, options.source);
    weights = Object.fromEntries(Object.entries(read).filter(([name]) => name in options.backends));
    picker.setWeights(weights);
    return weights;
  };
  await refresh().catch(() => pollFailures++);

  let stopped = false;
  const poller = setInterval(() => {
    refresh().catch((error: unknown) => {
      if (stopped) return;
      // The previous weights stay in force, as a proxy keeps its last configuration.
      pollFailures++;
      if (pollFailures === 1 || pollFailures % 50 === 0) console.error(`sandbox router: reading weights failed ${pollFailures} times: ${String(error)}`);
    });
  }, options.pollIntervalMs ?? 200);

  const server = http.createServer((request, response) => {
    const backend = picker.next();
    const target = backend ? options.backends[backend] : undefined;
    if (!backend || !target) {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('no backend has weight\n');
      return;
    }
    counts[backend] = (counts[backend] ?? 0) + 1;
    forward(request, response, new URL(request.url ?? '/', target), backend, agent);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    weights: () => ({ ...weights }),
    counts: () => ({ ...counts }),
    refresh,
    stop: async () => {
      stopped = true;
      clearInterval(poller);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function forward(request: http.IncomingMessage, response: http.ServerResponse, target: URL, backend: string, agent: http.Agent): void {
  const upstream = http.request(target, { method: request.method, headers: { ...request.headers, host: target.host }, agent }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, { ...answer.headers, [backendHeader]: backend });
    answer.pipe(response);
  });
  upstream.on('error', (error) => {
    if (response.headersSent) {
      response.destroy(error);
      return;
    }
    response.writeHead(502, { 'content-type': 'text/plain', [backendHeader]: backend }).end(`backend ${backend} failed: ${error.message}\n`);
  });
  request.pipe(upstream);
}
