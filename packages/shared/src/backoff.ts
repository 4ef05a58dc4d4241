/** How a retry loop waits between attempts. */
export interface BackoffPolicy {
  /** Wait before the first retry, in milliseconds. */
  initialDelayMs: number;
  /** Upper bound of one wait, in milliseconds. */
  maxDelayMs: number;
  /** Growth of the wait per attempt. */
  multiplier: number;
}

/** Exponential backoff from 500 ms, doubling up to 10 s. */
export const defaultBackoff: BackoffPolicy = { initialDelayMs: 500, maxDelayMs: 10_000, multiplier: 2 };

/**
 * Computes the wait before retry number `retry` (1 for the first retry):
 * exponential growth capped at the maximum, with "full jitter" (a uniform
 * draw between half the wait and the whole wait) so that parallel clients
 * do not retry in lockstep.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy = defaultBackoff, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * policy.multiplier ** Math.max(0, retry - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped / 2 + (random() * capped) / 2);
}

/**
 * Parses a `Retry-After` header (delay in seconds or an HTTP date) into
 * milliseconds from `now`. Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Resolves after `milliseconds`, or early with the abort reason when the signal fires. */
export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
