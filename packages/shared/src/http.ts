import { request as undiciRequest, type Dispatcher } from 'undici';

import { backoffDelay, defaultBackoff, parseRetryAfter, sleep, type BackoffPolicy } from './backoff.ts';
import { errorMessage } from './errors.ts';
import { redact, redactUrl } from './secrets.ts';

/** One HTTP request and the rules for sending it. */
export interface HttpRequest {
  url: URL | string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Limit for one attempt, headers and body together, in milliseconds. Default 30 s. */
  timeoutMs?: number;
  /** Epoch milliseconds after which no attempt starts and no retry waits. */
  deadline?: number;
  /** Total attempts including the first. Default 1 (no retry). */
  attempts?: number;
  backoff?: BackoffPolicy;
  /**
   * Whether repeating the request is safe. Default: true for GET, HEAD,
   * OPTIONS, PUT and DELETE (idempotent in RFC 9110), false otherwise.
   */
  idempotent?: boolean;
  /** Extra statuses to retry, besides 429 and (for idempotent requests) 5xx. */
  retryStatuses?: readonly number[];
  /** Reads a wait in milliseconds from a response that has no Retry-After header, such as Slack's `retry_after` in a 429 body. */
  retryAfterFromBody?: (response: HttpResponse) => number | undefined;
  /** Longest wait a server may request, in milliseconds; a longer one ends the retries. Default: no limit. */
  maxRetryWaitMs?: number;
  /** Agent or pool with TLS options (a CA bundle, or verification off). */
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  /** Receives one line per retry, already redacted. */
  log?: (line: string) => void;
}

/** A received response, with its body read as text. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Attempts made, including the one that produced this response. */
  attempts: number;
  /** Time of the last attempt, from sending to the end of the body, in milliseconds. */
  durationMs: number;
}

/** The reason a request produced no response. */
export type HttpFailureKind = 'timeout' | 'deadline' | 'connection-refused' | 'connection-reset' | 'dns' | 'tls' | 'aborted' | 'other';

/** A request that produced no HTTP response after all its attempts. */
export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError';
  readonly kind: HttpFailureKind;
  readonly attempts: number;

  constructor(message: string, kind: HttpFailureKind, attempts: number, cause?: unknown) {
    super(message, { cause });
    this.kind = kind;
    this.attempts = attempts;
  }
}

const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Sends a request with a per-attempt timeout, an overall deadline and
 * retries. It retries 429 always (the server did not process the request),
 * and connection failures, timeouts and 5xx only when repeating the request
 * is safe. Waits grow exponentially with jitter and honour `Retry-After`.
 * Returns the last response, whatever its status; throws HttpRequestError
 * when no response arrived.
 */
export async function sendRequest(request: HttpRequest): Promise<HttpResponse> {
  const method = (request.method ?? 'GET').toUpperCase();
  const maxAttempts = Math.max(1, request.attempts ?? 1);
  const idempotent = request.idempotent ?? idempotentMethods.has(method);
  const target = redactUrl(request.url);

  for (let attempt = 1; ; attempt++) {
    let outcome: HttpResponse | HttpRequestError;
    try {
      outcome = { ...(await sendOnce(request, method)), attempts: attempt };
    } catch (error) {
      outcome = toRequestError(error, attempt);
    }

    const retryReason = reasonToRetry(outcome, idempotent, request.retryStatuses ?? []);
    if (!retryReason || attempt >= maxAttempts) return finish(outcome);

    const delay = serverDelay(outcome, request) ?? backoffDelay(attempt, request.backoff ?? defaultBackoff);
    if (request.maxRetryWaitMs !== undefined && delay > request.maxRetryWaitMs) {
      request.log?.(redact(`${method} ${target}: ${retryReason}; the server requests a wait of ${Math.ceil(delay / 1000)} s, over the ${Math.round(request.maxRetryWaitMs / 1000)} s limit, so no retry`));
      return finish(outcome);
    }
    if (request.deadline !== undefined && Date.now() + delay >= request.deadline) return finish(outcome);

    request.log?.(redact(`${method} ${target}: ${retryReason}; retry ${attempt} of ${maxAttempts - 1} in ${delay} ms`));
    await sleep(delay, request.signal);
  }
}

/** Returns the wait the server requested: the Retry-After header, else the request's body reader. */
function serverDelay(outcome: HttpResponse | HttpRequestError, request: HttpRequest): number | undefined {
  if (outcome instanceof HttpRequestError) return undefined;
  return parseRetryAfter(outcome.headers['retry-after']) ?? request.retryAfterFromBody?.(outcome);
}

function finish(outcome: HttpResponse | HttpRequestError): HttpResponse {
  if (outcome instanceof HttpRequestError) throw outcome;
  return outcome;
}

/** Sends one attempt and reads the whole body as text. */
export async function sendOnce(request: HttpRequest, method = (request.method ?? 'GET').toUpperCase()): Promise<Omit<HttpResponse, 'attempts'>> {
  const timeoutMs = attemptTimeout(request);
  const signals = [AbortSignal.timeout(timeoutMs), request.signal].filter((signal): signal is AbortSignal => !!signal);
  const started = performance.now();

  const response = await undiciRequest(request.url, {
    method: method as Dispatcher.HttpMethod,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.any(signals),
    dispatcher: request.dispatcher,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const body = await response.body.text();

  return {
    status: response.statusCode,
    headers: flattenHeaders(response.headers),
    body,
    durationMs: performance.now() - started,
  };
}

function attemptTimeout(request: HttpRequest): number {
  const timeoutMs = request.timeoutMs ?? 30_000;
  if (request.deadline === undefined) return timeoutMs;
  const remaining = request.deadline - Date.now();
  if (remaining <= 0) throw new HttpRequestError(`Deadline passed before ${redactUrl(request.url)} was requested`, 'deadline', 0);
  return Math.min(timeoutMs, remaining);
}

function reasonToRetry(outcome: HttpResponse | HttpRequestError, idempotent: boolean, extraStatuses: readonly number[]): string | undefined {
  if (outcome instanceof HttpRequestError) {
    if (outcome.kind === 'aborted' || outcome.kind === 'deadline' || outcome.kind === 'tls' || outcome.kind === 'dns') return undefined;
    if (outcome.kind === 'connection-refused') return 'connection refused';
    return idempotent ? outcome.message : undefined;
  }
  if (outcome.status === 429) return 'HTTP 429 Too Many Requests';
  if (extraStatuses.includes(outcome.status)) return `HTTP ${outcome.status}`;
  if (outcome.status >= 500 && idempotent) return `HTTP ${outcome.status}`;
  return undefined;
}

/** Joins repeated headers with ", " and lower-cases names. */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

/** OpenSSL verification codes, as Node reports them, whose names lack the word CERT. */
const tlsVerificationCodes = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'HOSTNAME_MISMATCH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);

/** Classifies a failed attempt by its error code, for messages and retry decisions. */
export function toRequestError(error: unknown, attempts: number): HttpRequestError {
  if (error instanceof HttpRequestError) return error;
  const code = errorCode(error);
  const message = errorMessage(error);
  const kind = classify(code, error);
  const text = kind === 'timeout' ? `timed out (${message})` : message;
  return new HttpRequestError(text, kind, attempts, error);
}

function classify(code: string, error: unknown): HttpFailureKind {
  if (code === 'ECONNREFUSED') return 'connection-refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') return 'connection-reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || tlsVerificationCodes.has(code)) return 'tls';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timeout';
  // Abort reasons are DOMExceptions, which may come from another realm, so match on the name.
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  if (name === 'TimeoutError') return 'timeout';
  if (name === 'AbortError') return 'aborted';
  return 'other';
}

/** Returns the `code` of an error or of its cause, or ''. */
export function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (typeof current === 'object' && current !== null && 'code' in current && typeof current.code === 'string') return current.code;
    current = current instanceof Error ? current.cause : undefined;
  }
  return '';
}
