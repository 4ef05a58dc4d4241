/** Values of a query string; undefined values are left out. */
export type KubeQuery = Record<string, string | number | boolean | undefined>;

/** One REST request to the API server. */
export interface KubeRequest {
  /** Default GET. */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the server URL, such as `/apis/apps/v1/namespaces/prod/deployments/atom`. */
  path: string;
  query?: KubeQuery;
  /** Request body, sent as JSON. */
  body?: unknown;
  /** Content type of the body. Default `application/json`; patches name their type, such as `application/json-patch+json`. */
  contentType?: string;
}

/** Options of one call made through `KubeRequester.request`. */
export interface KubeCallOptions {
  /** Epoch milliseconds after which no attempt starts. */
  deadline: number;
  /** Whether repeating the call is safe (reads, or writes guarded by a precondition). Default true. */
  idempotent?: boolean;
}

/** Receives one event of a watch: its type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR) and object. */
export type WatchEventHandler = (type: string, object: unknown) => void;

/**
 * The REST surface that the rollback library needs: JSON requests with
 * timeouts, retries and KubeApiError messages, and watches. Both the light
 * RestKubeClient and client-node's KubeClient provide it.
 */
export interface KubeRequester {
  /** API server URL, for messages. */
  readonly server: string;
  /** Name of the kubeconfig context, for messages. */
  readonly context: string;

  /**
   * Sends one request, retrying transient failures until the deadline, and
   * returns the response body parsed from JSON as the server sent it.
   * Throws KubeApiError, whose message starts with `Failed to ${action}`.
   */
  request(action: string, request: KubeRequest, options: KubeCallOptions): Promise<unknown>;

  /**
   * Starts a watch on `path` and returns the controller that stops it.
   * `done` receives undefined or null when the server closed the watch, and
   * the error otherwise (a non-200 response, a dropped connection, an abort).
   */
  watch(path: string, query: KubeQuery, onEvent: WatchEventHandler, done: (error: unknown) => void): Promise<AbortController>;
}
