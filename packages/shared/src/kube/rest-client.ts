import type { HttpsTransport } from './https-transport.ts';
import type { KubeRequester, KubeCallOptions, KubeQuery, KubeRequest, WatchEventHandler } from './requester.ts';
import { callWithRetry } from './retry.ts';
import type { BackoffPolicy } from '../backoff.ts';

/** Limits and logging shared by every call a RestKubeClient makes. */
export interface RestKubeClientOptions {
  /** Limit for one request, in milliseconds. Default 30 s. */
  requestTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Receives one line per retry. */
  log?: (line: string) => void;
}

/**
 * Access to one cluster without client-node: JSON requests over an
 * HttpsTransport with the per-request timeout, the retries inside a deadline
 * and the KubeApiError messages of the shared KubeClient.
 */
export class RestKubeClient implements KubeRequester {
  readonly server: string;
  readonly context: string;
  readonly origin: string;
  private readonly transport: HttpsTransport;
  private readonly options: RestKubeClientOptions;

  constructor(transport: HttpsTransport, description: { context: string; origin: string }, options: RestKubeClientOptions = {}) {
    this.transport = transport;
    this.server = transport.server;
    this.context = description.context;
    this.origin = description.origin;
    this.options = options;
  }

  /** Sends one request with the per-request timeout and retries transient failures until the deadline. */
  request(action: string, request: KubeRequest, options: KubeCallOptions): Promise<unknown> {
    const retryOptions = {
      action,
      deadline: options.deadline,
      idempotent: options.idempotent ?? true,
      server: this.server,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
    };
    return callWithRetry(() => this.transport.send(request, AbortSignal.timeout(this.requestLimit(options.deadline))), retryOptions);
  }

  /** Starts a watch on `path`; see KubeRequester.watch. */
  watch(path: string, query: KubeQuery, onEvent: WatchEventHandler, done: (error: unknown) => void): Promise<AbortController> {
    return this.transport.watch(path, query, onEvent, done);
  }

  /** Closes idle connections, so that the process can exit. */
  close(): void {
    this.transport.close();
  }

  private requestLimit(deadline: number): number {
    return Math.max(1, Math.min(this.options.requestTimeoutMs ?? 30_000, deadline - Date.now()));
  }
}
