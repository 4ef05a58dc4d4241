import { backoffDelay, parseRetryAfter, sleep } from '../backoff.ts';
import { HttpRequestError, sendRequest, type HttpRequest, type HttpResponse } from '../http.ts';
import { redact, redactUrl } from '../secrets.ts';
import type { DeliverySettings } from './settings.ts';
import { DeliveryError, type NotifyLog } from './results.ts';

/** Maximum wait in milliseconds that a server's Retry-After may request. A longer one ends the retries. */
export const maxRetryWaitMs = 60_000;

/** Retry rules and log target of one channel's request. */
export interface DeliveryOptions {
  delivery: DeliverySettings;
  log: NotifyLog;
  /** Name shown in log lines, such as `Slack webhook`. */
  label: string;
  /**
   * Whether a 5xx or a lost connection may be retried: the service
   * deduplicates repeats, or a duplicate notice costs less than a lost one.
   * 429 and a refused connection are always retried, because the service
   * did not process the request.
   */
  idempotent: boolean;
  /** Reads a wait from the body of a 429, such as Slack's `retry_after` in seconds. */
  bodyRetryAfter?: (body: string) => number | undefined;
}

/**
 * Sends a request with up to `retries` retries. A 429 waits for the
 * `Retry-After` header, else the body's hint, else exponential backoff. A 5xx
 * or a connection failure is retried only when `idempotent`. Other 4xx are
 * returned at once. Each retry is logged with its reason and wait. Returns
 * the last response; throws DeliveryError when no response arrived.
 */
export async function deliver(request: HttpRequest, options: DeliveryOptions): Promise<HttpResponse> {
  const maxAttempts = options.delivery.retries + 1;
  const method = request.method ?? 'GET';

  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(request, options, attempt);
    const reason = retryReason(outcome, options.idempotent);
    if (!reason || attempt >= maxAttempts) return finish(outcome, options.label, attempt);

    const wait = retryWait(outcome, options, attempt);
    if (wait > maxRetryWaitMs) {
      options.log.warning(`${options.label}: ${reason}; the service asks to wait ${Math.ceil(wait / 1000)} s, longer than ${maxRetryWaitMs / 1000} s, so no retry.`);
      return finish(outcome, options.label, attempt);
    }

    options.log.info(`${options.label}: ${method} ${redactUrl(request.url)}: ${reason}; retry ${attempt} of ${maxAttempts - 1} in ${wait} ms.`);
    await sleep(wait, request.signal);
  }
}

async function attemptOnce(request: HttpRequest, options: DeliveryOptions, attempt: number): Promise<HttpResponse | HttpRequestError> {
  try {
    const response = await sendRequest({ ...request, attempts: 1, timeoutMs: options.delivery.timeoutMs });
    return { ...response, attempts: attempt };
  } catch (error) {
    if (error instanceof HttpRequestError) return new HttpRequestError(redact(error.message), error.kind, attempt, error);
    throw error;
  }
}

function retryReason(outcome: HttpResponse | HttpRequestError, idempotent: boolean): string | undefined {
  if (outcome instanceof HttpRequestError) {
    if (outcome.kind === 'connection-refused') return 'connection refused';
    if (idempotent && (outcome.kind === 'timeout' || outcome.kind === 'connection-reset' || outcome.kind === 'other')) return outcome.message;
    return undefined;
  }
  if (outcome.status === 429) return 'HTTP 429 Too Many Requests';
  if (outcome.status >= 500 && idempotent) return `HTTP ${outcome.status}`;
  return undefined;
}

function retryWait(outcome: HttpResponse | HttpRequestError, options: DeliveryOptions, attempt: number): number {
  if (outcome instanceof HttpRequestError) return backoffDelay(attempt);
  const fromHeader = parseRetryAfter(outcome.headers['retry-after']);
  const fromBody = outcome.status === 429 ? options.bodyRetryAfter?.(outcome.body) : undefined;
  return fromHeader ?? fromBody ?? backoffDelay(attempt);
}

function finish(outcome: HttpResponse | HttpRequestError, label: string, attempts: number): HttpResponse {
  if (outcome instanceof HttpRequestError) {
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    throw new DeliveryError(`${label}: no response after ${tries}: ${outcome.message}`, attempts);
  }
  return outcome;
}

/** Reads Slack's `retry_after` (seconds) from a JSON body, in milliseconds. */
export function slackBodyRetryAfter(body: string): number | undefined {
  try {
    const parsed = JSON.parse(body) as { retry_after?: unknown };
    return typeof parsed.retry_after === 'number' && parsed.retry_after >= 0 ? Math.round(parsed.retry_after * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/** Shortens a service's error body for a log line or summary cell. */
export function describeBody(body: string): string {
  const text = redact(body.trim().replace(/\s+/g, ' '));
  return text.length > 300 ? `${text.slice(0, 300)}…` : text || '(empty body)';
}
