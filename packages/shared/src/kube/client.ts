import { AppsV1Api, CoreV1Api, HttpMethod, Observable, RequestContext, Watch, type ConfigurationOptions, type KubeConfig, type ObservableMiddleware } from '@kubernetes/client-node';
import { fetch } from 'undici';

import type { BackoffPolicy } from '../backoff.ts';
import type { LoadedKubeConfig } from './config.ts';
import { KubeHttpError, parseResponseBody } from './http-error.ts';
import type { KubeCallOptions, KubeQuery, KubeRequest, KubeRequester } from './requester.ts';
import { callWithRetry, type KubeRetryOptions } from './retry.ts';

export type { KubeCallOptions } from './requester.ts';

/** Limits and logging shared by every call a KubeClient makes. */
export interface KubeClientOptions {
  /** Limit for one request, in milliseconds. Default 30 s. */
  requestTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Receives one line per retry. */
  log?: (line: string) => void;
}

/**
 * Access to one cluster: the API clients, created on first use, and a `call`
 * wrapper that adds a per-request timeout, retries transient failures inside
 * a deadline and turns errors into KubeApiError messages.
 */
export class KubeClient implements KubeRequester {
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
    return callWithRetry(() => operation(this.requestOptions(options.deadline)), this.retryOptions(action, options));
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
   * Sends one REST request with client-node's authentication (so exec and
   * auth-provider plugins and proxy-url work), with the timeout and retries
   * of `call`, and returns the response body parsed from JSON.
   */
  request(action: string, request: KubeRequest, options: KubeCallOptions): Promise<unknown> {
    return callWithRetry(() => this.send(request, AbortSignal.timeout(this.requestLimit(options.deadline))), this.retryOptions(action, options));
  }

  /**
   * Starts a watch on `path` (such as `/apis/apps/v1/namespaces/prod/deployments`)
   * and returns the controller that stops it. `done` receives undefined when
   * the server closed the watch and the error otherwise.
   */
  watch(path: string, query: KubeQuery, onEvent: (type: string, object: unknown) => void, done: (error: unknown) => void): Promise<AbortController> {
    return new Watch(this.config).watch(path, query, onEvent, done);
  }

  private async send(request: KubeRequest, signal: AbortSignal): Promise<unknown> {
    const url = new URL(this.server.replace(/\/$/, '') + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }

    const context = new RequestContext(url.toString(), HttpMethod[request.method ?? 'GET']);
    context.setHeaderParam('Accept', 'application/json');
    if (request.body !== undefined) {
      context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
      context.setBody(JSON.stringify(request.body));
    }
    await this.config.applySecurityAuthentication(context);

    const response = await fetch(context.getUrl(), { method: context.getHttpMethod(), headers: context.getHeaders(), body: context.getBody() as string | undefined, dispatcher: context.getDispatcher(), signal });
    const text = await response.text();
    if (!response.ok) throw new KubeHttpError(response.status, text);
    return parseResponseBody(text);
  }

  private retryOptions(action: string, options: KubeCallOptions): KubeRetryOptions {
    return {
      action,
      deadline: options.deadline,
      idempotent: options.idempotent ?? true,
      server: this.server,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
    };
  }

  /** Returns the limit of one request: the per-request timeout, cut at the deadline. */
  private requestLimit(deadline: number): number {
    return Math.max(1, Math.min(this.options.requestTimeoutMs ?? 30_000, deadline - Date.now()));
  }

  /** Builds request options whose middleware aborts a request after the per-request timeout or at the deadline. */
  private requestOptions(deadline: number): ConfigurationOptions<ObservableMiddleware> {
    const limit = this.requestLimit(deadline);
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
