import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

import { faultFor, parseFaults, type DemoFaults, type RouteFault } from './faults.ts';
import { createDemoMetrics, type DemoMetrics } from './metrics.ts';
import { handleRoute, routeLabel, type DemoRequest, type DemoResponse, type DemoState } from './routes.ts';

/** How to start a demo service. */
export interface DemoServiceOptions {
  /** Version label, such as `v1` (stable) or `v2` (canary); it appears in responses and metrics. */
  version: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  faults?: DemoFaults;
  /** PEM certificate and key to serve HTTPS instead of HTTP. */
  tls?: { cert: string; key: string };
  /** The demo user. Default `demo` / `demo-password`. */
  credentials?: { username: string; password: string };
}

/** One request the service received, for tests that count or inspect traffic. */
export interface ReceivedRequest {
  method: string;
  path: string;
  /** Status sent, or undefined when the connection was reset. */
  status?: number;
}

/** A running demo service. */
export interface DemoService {
  url: string;
  port: number;
  version: string;
  /** Replaces the faults; the warm-up window restarts now. */
  setFaults(faults: DemoFaults): void;
  /** Requests received so far, except metrics scrapes and `/__sandbox/` control calls. */
  requests(): ReceivedRequest[];
  stop(): Promise<void>;
}

/** The default demo user. */
export const demoCredentials = { username: 'demo', password: 'demo-password' };

/**
 * Starts the demo service: the atom service's runbook endpoints with faults
 * chosen per route, Prometheus metrics at `/metrics`, and a control API:
 * `GET` and `PUT /__sandbox/faults` read and replace the faults (JSON, as
 * DemoFaults), `GET /__sandbox/requests` lists the requests received.
 */
export async function startDemoService(options: DemoServiceOptions): Promise<DemoService> {
  const host = options.host ?? '127.0.0.1';
  const state: DemoState = { version: options.version, credentials: options.credentials ?? demoCredentials, tokens: new Set() };
  const metrics = createDemoMetrics();
  const received: ReceivedRequest[] = [];
  const control = { faults: parseFaults(options.faults ?? {}), faultsSetAt: Date.now(), counters: new Map<string, number>() };

  const setFaults = (faults: DemoFaults): void => {
    control.faults = parseFaults(faults);
    control.faultsSetAt = Date.now();
    control.counters.clear();
  };

  const listener = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    handle(request, response, { state, metrics, received, control, setFaults }).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { detail: `demo service error: ${String(error)}` }, state.version);
      else response.destroy();
    });
  };
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, listener) : http.createServer(listener);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const displayHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `${options.tls ? 'https' : 'http'}://${displayHost}:${port}`,
    port,
    version: options.version,
    setFaults,
    requests: () => [...received],
    stop: () => stopServer(server),
  };
}

interface Handling {
  state: DemoState;
  metrics: DemoMetrics;
  received: ReceivedRequest[];
  control: { faults: DemoFaults; faultsSetAt: number; counters: Map<string, number> };
  setFaults(faults: DemoFaults): void;
}

async function handle(request: http.IncomingMessage, response: http.ServerResponse, handling: Handling): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://demo').pathname;
  const method = request.method ?? 'GET';
  const body = await readBody(request);

  if (path === '/metrics') return sendMetrics(response, handling.metrics);
  if (path.startsWith('/__sandbox/')) return handleControl({ method, path, headers: request.headers, body }, response, handling);

  const entry: ReceivedRequest = { method, path };
  handling.received.push(entry);
  const started = performance.now();
  const labels = { route: routeLabel(path), method, version: handling.state.version };
  // A reset connection never finishes, so resets are absent from the metrics, as they are from a real server's.
  response.on('finish', () => {
    entry.status = response.statusCode;
    const finished = { status: String(response.statusCode), ...labels };
    handling.metrics.requests.inc(finished);
    handling.metrics.duration.observe(finished, (performance.now() - started) / 1000);
  });

  const answer = await applyFaults(path, response, handling);
  if (answer === 'handled') return;
  const result = answer ?? handleRoute({ method, path, headers: request.headers, body }, handling.state);
  sendJson(response, result.status, result.body, handling.state.version);
}

/** Applies the route's faults; returns 'handled' when a fault sent or dropped the response, or a response to send. */
async function applyFaults(path: string, response: http.ServerResponse, handling: Handling): Promise<DemoResponse | 'handled' | undefined> {
  const { faults, faultsSetAt, counters } = handling.control;
  const version = handling.state.version;

  if (faults.warmUp && Date.now() - faultsSetAt < faults.warmUp.seconds * 1000) {
    return { status: faults.warmUp.status, body: { detail: faults.warmUp.status === 404 ? 'Not Found' : 'Service Unavailable: warming up' } };
  }

  const fault: RouteFault = faultFor(faults, path);
  if (fault.latencyMs) await delay(fault.latencyMs);
  if (fault.reset) {
    // resetAndDestroy sends a TCP RST, as a crashing backend or a proxy dropping the connection does.
    const socket = response.socket as Socket | null;
    socket?.resetAndDestroy();
    return 'handled';
  }
  if (fault.redirectTo !== undefined) {
    response.writeHead(302, { location: fault.redirectTo, 'content-type': 'text/plain', 'x-service-version': version }).end(`Redirecting to ${fault.redirectTo}`);
    return 'handled';
  }
  if (fault.html) {
    sendHtml(response, fault.status ?? 200, version);
    return 'handled';
  }
  if (fault.status !== undefined) return { status: fault.status, body: { detail: `fault: status ${fault.status}` } };
  if (fault.errorRate !== undefined && fault.errorRate > 0) {
    // Fails request n when the running total of failures due rises: exactly errorRate of every requests, evenly spread.
    const count = (counters.get(path) ?? 0) + 1;
    counters.set(path, count);
    if (Math.floor(count * fault.errorRate) > Math.floor((count - 1) * fault.errorRate)) {
      const status = fault.errorStatus ?? 500;
      return { status, body: { detail: `fault: injected error ${status}` } };
    }
  }
  return undefined;
}

function handleControl(request: DemoRequest, response: http.ServerResponse, handling: Handling): void {
  const version = handling.state.version;
  if (request.path === '/__sandbox/faults' && request.method === 'GET') return sendJson(response, 200, handling.control.faults, version);
  if (request.path === '/__sandbox/faults' && request.method === 'PUT') {
    try {
      handling.setFaults(parseFaults(JSON.parse(request.body)));
    } catch (error) {
      return sendJson(response, 400, { detail: `invalid faults: ${error instanceof Error ? error.message : String(error)}` }, version);
    }
    return sendJson(response, 200, handling.control.faults, version);
  }
  if (request.path === '/__sandbox/requests' && request.method === 'GET') return sendJson(response, 200, handling.received, version);
  sendJson(response, 404, { detail: 'unknown control endpoint: expected GET or PUT /__sandbox/faults, GET /__sandbox/requests' }, version);
}

async function sendMetrics(response: http.ServerResponse, metrics: DemoMetrics): Promise<void> {
  const text = await metrics.registry.metrics();
  response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
}

function sendJson(response: http.ServerResponse, status: number, body: unknown, version: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-service-version': version }).end(JSON.stringify(body));
}

function sendHtml(response: http.ServerResponse, status: number, version: string): void {
  const page = `<!DOCTYPE html>\n<html>\n<head><title>Service error</title></head>\n<body>\n<h1>Something went wrong</h1>\n<p>The upstream service returned an error page (demo ${version}).</p>\n</body>\n</html>\n`;
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'x-service-version': version }).end(page);
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function stopServer(server: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
