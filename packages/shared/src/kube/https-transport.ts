import * as http from 'node:http';
import * as https from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';

import { KubeHttpError, parseResponseBody } from './http-error.ts';
import { LineSplitter } from './line-splitter.ts';
import type { KubeQuery, KubeRequest, WatchEventHandler } from './requester.ts';

/** TLS settings of the connection to the API server. */
export interface TransportTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** False for `insecure-skip-tls-verify: true`. */
  rejectUnauthorized: boolean;
  /** Name checked against the server certificate (`tls-server-name`). */
  servername?: string;
}

/** Returns the headers that authenticate one request, such as `Authorization`. */
export type Authenticate = () => Promise<Record<string, string>>;

/** Time without data after which a watch is aborted with a TimeoutError, as in client-node's Watch. */
const watchIdleTimeoutMs = 30_000;

/**
 * Sends requests to one API server over node:http(s) with a keep-alive
 * agent, so that a rollback reuses one connection. Watches go over a second
 * agent, because a watch keeps its connection until it ends. On the shared
 * agent it would take the warm connection, and the next request after the
 * rollout would wait for a new TLS handshake. It neither retries nor translates
 * errors: RestKubeClient does that.
 */
export class HttpsTransport {
  readonly server: string;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly watchAgent: http.Agent;
  private readonly authenticate: Authenticate;

  constructor(server: string, tls: TransportTls, authenticate: Authenticate) {
    this.server = server;
    this.base = new URL(server);
    this.authenticate = authenticate;
    // One secure context for both agents: OpenSSL builds each in several milliseconds.
    const secureContext = this.base.protocol === 'https:' ? createSecureContext({ ca: tls.ca, cert: tls.cert, key: tls.key }) : undefined;
    this.agent = createAgent(tls, secureContext, true);
    this.watchAgent = createAgent(tls, secureContext, false);
  }

  /** Sends one request and returns the parsed JSON body. Throws KubeHttpError for a status outside 2xx. */
  async send(request: KubeRequest, signal: AbortSignal): Promise<unknown> {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { accept: 'application/json', ...(await this.authenticate()) };
    if (body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';

    const response = await this.open(request.method ?? 'GET', this.url(request.path, request.query), headers, signal, body);
    const text = await readText(response);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new KubeHttpError(status, text);
    return parseResponseBody(text);
  }

  /**
   * Starts a watch (GET with watch=true) and calls `onEvent` for each line of
   * newline-delimited JSON. `done` is called once: with null when the server
   * ends the stream, and with the error otherwise, including the abort
   * through the returned controller.
   */
  async watch(path: string, query: KubeQuery, onEvent: WatchEventHandler, done: (error: unknown) => void): Promise<AbortController> {
    const controller = new AbortController();
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: unknown): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (!controller.signal.aborted) controller.abort();
      done(error);
    };
    const resetTimer = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new DOMException('The watch received no data in time', 'TimeoutError')), watchIdleTimeoutMs);
      timer.unref();
    };
    controller.signal.addEventListener('abort', () => finish(controller.signal.reason), { once: true });

    try {
      resetTimer();
      const headers = { accept: 'application/json', ...(await this.authenticate()) };
      const response = await this.open('GET', this.url(path, { ...query, watch: true }), headers, controller.signal, undefined, this.watchAgent);
      if (response.statusCode !== 200) {
        const text = await readText(response);
        throw new KubeHttpError(response.statusCode ?? 0, text);
      }

      const lines = new LineSplitter((line) => dispatchEvent(line, onEvent));
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        resetTimer();
        lines.push(chunk);
      });
      response.on('error', finish);
      response.on('end', () => {
        lines.end();
        finish(null);
      });
      // After 'end' this does nothing, because finish runs once.
      response.on('close', () => finish(new Error('the watch connection closed before the stream ended')));
    } catch (error) {
      finish(error);
    }
    return controller;
  }

  /** Closes the idle keep-alive connections and any open watch, so that the process can exit. */
  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }

  private url(path: string, query: KubeQuery = {}): URL {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  private open(method: string, url: URL, headers: Record<string, string>, signal: AbortSignal, body?: string, agent: http.Agent = this.agent): Promise<http.IncomingMessage> {
    const send = url.protocol === 'http:' ? http.request : https.request;
    return new Promise((resolve, reject) => {
      const request = send(url, { method, headers, agent, signal }, resolve);
      request.on('error', reject);
      request.end(body);
    });
  }
}

/** Builds a plain HTTP agent when there is no secure context (an `http:` server), else an HTTPS one. */
function createAgent(tls: TransportTls, secureContext: SecureContext | undefined, keepAlive: boolean): http.Agent {
  if (!secureContext) return new http.Agent({ keepAlive });
  return new https.Agent({ keepAlive, secureContext, rejectUnauthorized: tls.rejectUnauthorized, ...(tls.servername ? { servername: tls.servername } : {}) });
}

function dispatchEvent(line: string, onEvent: WatchEventHandler): void {
  if (line.trim() === '') return;
  let event: { type?: unknown; object?: unknown };
  try {
    event = JSON.parse(line) as { type?: unknown; object?: unknown };
  } catch {
    // client-node's Watch skips lines that do not parse too; the next relist repairs any missed state.
    return;
  }
  if (typeof event.type === 'string') onEvent(event.type, event.object);
}

async function readText(response: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
