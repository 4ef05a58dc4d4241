import { HttpRequestError, sendRequest, type HttpRequest, type HttpResponse } from '../http.ts';
import { countOf } from '../plural.ts';
import { redact } from '../secrets.ts';
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
 * Sends a request with up to `retries` retries through the shared HTTP
 * client. A 429 waits for the `Retry-After` header, else the body's hint,
 * else exponential backoff, and a requested wait over `maxRetryWaitMs` ends
 * the retries. A 5xx or a connection failure is retried only when
 * `idempotent`. Other 4xx are returned at once. Each retry is logged with
 * its reason and wait. Returns the last response; throws DeliveryError when
 * no response arrived.
 */
export async function deliver(request: HttpRequest, options: DeliveryOptions): Promise<HttpResponse> {
  const bodyRetryAfter = options.bodyRetryAfter;
  try {
    return await sendRequest({
      ...request,
      attempts: options.delivery.retries + 1,
      timeoutMs: options.delivery.timeoutMs,
      idempotent: options.idempotent,
      maxRetryWaitMs,
      ...(bodyRetryAfter ? { retryAfterFromBody: (response: HttpResponse) => (response.status === 429 ? bodyRetryAfter(response.body) : undefined) } : {}),
      log: (line) => options.log.info(`${options.label}: ${line}.`),
    });
  } catch (error) {
    if (!(error instanceof HttpRequestError)) throw error;
    throw new DeliveryError(`${options.label}: no response after ${countOf(error.attempts, 'attempt')}: ${redact(error.message)}`, error.attempts);
  }
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
