import { errorMessage } from '../errors.ts';
import { HttpRequestError, sendRequest } from '../http.ts';
import { classifyQueryResponse, type QueryOutcome } from './result.ts';

/** Address, headers and limits for requests to a Prometheus HTTP API. */
export interface PrometheusConnection {
  /** Base URL, such as `http://prometheus:9090`; a path prefix is kept. */
  url: URL;
  /** Extra request headers, such as `Authorization: Bearer ...` or a tenant header. */
  headers?: Record<string, string>;
  /** Limit for one attempt in milliseconds. Default 10 s. */
  timeoutMs?: number;
  /** Attempts per query including the first. Default 2, so one dropped connection does not count as a failed measurement. */
  attempts?: number;
  signal?: AbortSignal;
  /** Receives one line per retry. */
  log?: (line: string) => void;
}

/**
 * Runs an instant query (`POST /api/v1/query`) and classifies the outcome
 * as a value, no data, or an error. Never throws for Prometheus or network
 * failures: they become a QueryError. Throws only when `signal` aborts.
 */
export async function queryInstant(connection: PrometheusConnection, query: string, time?: Date): Promise<QueryOutcome> {
  const form = new URLSearchParams({ query });
  if (time) form.set('time', (time.getTime() / 1000).toFixed(3));

  try {
    const response = await sendRequest({
      url: apiUrl(connection.url, 'api/v1/query'),
      method: 'POST',
      headers: { ...(connection.headers ?? {}), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      idempotent: true,
      attempts: connection.attempts ?? 2,
      backoff: { initialDelayMs: 200, maxDelayMs: 1000, multiplier: 2 },
      timeoutMs: connection.timeoutMs ?? 10_000,
      ...(connection.signal ? { signal: connection.signal } : {}),
      ...(connection.log ? { log: connection.log } : {}),
    });
    return classifyQueryResponse(query, response.status, response.body);
  } catch (error) {
    if (connection.signal?.aborted) throw error;
    const kind = error instanceof HttpRequestError ? error.kind : 'other';
    return { kind: 'error', query, detail: `request failed (${kind}): ${errorMessage(error)}`, errorType: kind, permanent: false };
  }
}

/** Joins an API path onto a base URL, keeping any path prefix of the base. */
export function apiUrl(base: URL, relativePath: string): URL {
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return new URL(`${prefix}${relativePath}`, base);
}
