import { backoffDelay, defaultBackoff, sleep, type BackoffPolicy } from '../backoff.ts';
import { KubeApiError, translateKubeError } from './errors.ts';

/** Retry settings of one Kubernetes API call. */
export interface KubeRetryOptions {
  /** Description of the call for messages, such as `read deployment "atom" in namespace "prod"`. */
  action: string;
  /** Epoch milliseconds after which no attempt starts and no retry waits. */
  deadline: number;
  /** Whether repeating the call is safe: true for reads; false for writes unless they carry a precondition. */
  idempotent: boolean;
  backoff?: BackoffPolicy;
  /** API server URL for messages about unreachable servers. */
  server?: string;
  /** Receives one line per retry. */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** Returns whether an error is worth retrying: a 5xx, a 429, a timeout or a dropped connection. */
export function isTransient(error: KubeApiError): boolean {
  if (error.status === 429 || error.status >= 500) return true;
  return error.status === 0 && (error.kind === 'timeout' || error.kind === 'connection');
}

/**
 * Calls `operation` until it succeeds, retrying transient failures with
 * exponential backoff until `deadline`. A 409 Conflict, a 4xx other than
 * 429 and any failure of a non-idempotent call are thrown at once as a
 * KubeApiError, because repeating them blindly could apply a change twice or
 * overwrite someone else's. The caller re-reads and decides again instead.
 */
export async function callWithRetry<T>(operation: () => Promise<T>, options: KubeRetryOptions): Promise<T> {
  const policy = options.backoff ?? defaultBackoff;

  for (let attempt = 1; ; attempt++) {
    let failure: KubeApiError;
    try {
      return await operation();
    } catch (error) {
      failure = translateKubeError(error, options.action, options.server);
    }

    // A write without a precondition may have been applied even if the response was lost.
    const retryable = isTransient(failure) && (options.idempotent || failure.status === 429);
    if (!retryable) throw failure;

    const wait = backoffDelay(attempt, policy);
    if (Date.now() + wait >= options.deadline) {
      throw new KubeApiError(`${failure.message} Gave up after ${attempt} attempts because the timeout ran out.`, failure.status, failure.reason, failure.kind, failure);
    }

    const cause = failure.status ? `HTTP ${failure.status}` : failure.kind;
    options.log?.(`Retrying ${options.action} in ${(wait / 1000).toFixed(1)} s (attempt ${attempt} failed: ${cause})`);
    await sleep(wait, options.signal);
  }
}
