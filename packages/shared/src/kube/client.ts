import { AppsV1Api, CoreV1Api, Observable, Watch, type ConfigurationOptions, type KubeConfig, type ObservableMiddleware } from '@kubernetes/client-node';

import type { BackoffPolicy } from '../backoff.ts';
import type { LoadedKubeConfig } from './config.ts';
import { callWithRetry } from './retry.ts';

/** Limits and logging shared by every call a KubeClient makes. */
export interface KubeClientOptions {
  /** Limit for one request, in milliseconds. Default 30 s. */
  requestTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Receives one line per retry. */
  log?: (line: string) => void;
}

/** Options of one call made through `KubeClient.call`. */
export interface KubeCallOptions {
  /** Epoch milliseconds after which no attempt starts. */
  deadline: number;
  /** Whether repeating the call is safe (reads, or writes guarded by a precondition). Default true. */
  idempotent?: boolean;
}

/**
 * Access to one cluster: the API clients, created on first use, and a `call`
 * wrapper that adds a per-request timeout, retries transient failures inside
 * a deadline and turns errors into KubeApiError messages.
 */
export class KubeClient {
  readonly config: KubeConfig;
  readonly server: string;
  readonly context: string;
  readonly origin: string;
  private readonly options: KubeClientOptions;
  private appsApi: AppsV1Api | undefined;
  private coreApi: CoreV1Api | undefined;

  constructor(loaded: LoadedKubeConfig, options: KubeClientOptions = {}) {
    this.config = loaded.config;
    this.server = loaded.server;
    this.context = loaded.context;
    this.origin = loaded.origin;
    this.options = options;
  }

  /** The apps/v1 API: Deployments, ReplicaSets. */
  get apps(): AppsV1Api {
    this.appsApi ??= this.config.makeApiClient(AppsV1Api);
    return this.appsApi;
  }

  /** The core/v1 API: Pods, Events. */
  get core(): CoreV1Api {
    this.coreApi ??= this.config.makeApiClient(CoreV1Api);
    return this.coreApi;
  }

  /**
   * Runs one API call with the per-request timeout applied through the
   * request options it receives, retrying transient failures until the
   * deadline. Throws KubeApiError, whose message starts with `Failed to ${action}`.
   */
  call<T>(action: string, operation: (options: ConfigurationOptions<ObservableMiddleware>) => Promise<T>, options: KubeCallOptions): Promise<T> {
    const retryOptions = {
      action,
      deadline: options.deadline,
      idempotent: options.idempotent ?? true,
      server: this.server,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
    };
    return callWithRetry(() => operation(this.requestOptions(options.deadline)), retryOptions);
  }

  /**
   * Runs one API call like `call`, but returns the response body as the API
   * server sent it, parsed from JSON. client-node's models drop fields they
   * do not know, so code that writes an object back (a pod template in a
   * rollback) reads it this way to keep every field of newer API servers.
   */
  async callJson(action: string, operation: (options: ConfigurationOptions<ObservableMiddleware>) => Promise<unknown>, options: KubeCallOptions): Promise<unknown> {
    let body = '';
    const capture: ObservableMiddleware = {
      pre: (context) => new Observable(Promise.resolve(context)),
      post: (response) =>
        new Observable(
          // text(), because client-node 2.0.1's binary() calls resp.buffer(), which undici's Response lacks.
          response.body.text().then((text) => {
            body = text;
            response.body = { binary: async () => Buffer.from(text, 'utf8'), text: async () => text, stream: () => null };
            return response;
          }),
        ),
    };

    await this.call(action, (requestOptions) => operation({ ...requestOptions, middleware: [...(requestOptions.middleware ?? []), capture] }), options);
    return JSON.parse(body) as unknown;
  }

  /**
   * Starts a watch on `path` (such as `/apis/apps/v1/namespaces/prod/deployments`)
   * and returns the controller that stops it. `done` receives undefined when
   * the server closed the watch and the error otherwise.
   */
  watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: (type: string, object: unknown) => void, done: (error: unknown) => void): Promise<AbortController> {
    return new Watch(this.config).watch(path, query, onEvent, done);
  }

  /** Builds request options whose middleware aborts a request after the per-request timeout or at the deadline. */
  private requestOptions(deadline: number): ConfigurationOptions<ObservableMiddleware> {
    const limit = Math.max(1, Math.min(this.options.requestTimeoutMs ?? 30_000, deadline - Date.now()));
    const timeout: ObservableMiddleware = {
      pre: (context) => {
        context.setSignal(AbortSignal.timeout(limit));
        return new Observable(Promise.resolve(context));
      },
      post: (response) => new Observable(Promise.resolve(response)),
    };
    return { middleware: [timeout], middlewareMergeStrategy: 'append' };
  }
}

/** Creates a KubeClient for a loaded kubeconfig. No request is sent until the first call. */
export function createKubeClient(loaded: LoadedKubeConfig, options: KubeClientOptions = {}): KubeClient {
  return new KubeClient(loaded, options);
}
