import { jsonResponse, textResponse, type ReceiverResponse } from './http.ts';

/**
 * A failure a receiver injects into its next `times` responses.
 * `rate-limit` responds 429 with the wait in the Retry-After header, in the
 * JSON body's `retry_after` (as Slack does) or both. `server-error`
 * responds with a 5xx. `error-body` responds 200 with an error in the body,
 * as Slack's legacy webhooks and Teams connectors do.
 */
export type Fault =
  | { kind: 'rate-limit'; times: number; retryAfterSeconds: number; via?: 'header' | 'body' | 'both' }
  | { kind: 'server-error'; times: number; status?: number }
  | { kind: 'error-body'; times: number; body?: string };

/** The pending fault of one receiver and how that receiver words its error body. */
export class FaultState {
  private pending: Fault | undefined;
  private readonly errorBody: string;

  constructor(errorBody: string, initial?: Fault) {
    this.errorBody = errorBody;
    this.pending = initial ? { ...initial } : undefined;
  }

  /** Replaces the pending fault; undefined clears it. */
  set(fault: Fault | undefined): void {
    this.pending = fault ? { ...fault } : undefined;
  }

  /** Takes one use of the pending fault, or returns undefined when none is left. */
  take(): Fault | undefined {
    if (!this.pending || this.pending.times <= 0) return undefined;
    this.pending.times -= 1;
    return this.pending;
  }

  /** Builds the response of a fault. */
  respond(fault: Fault): ReceiverResponse {
    if (fault.kind === 'server-error') return textResponse(fault.status ?? 503, 'Service Unavailable');
    if (fault.kind === 'error-body') return textResponse(200, fault.body ?? this.errorBody);

    const via = fault.via ?? 'both';
    const headers: Record<string, string> = via === 'body' ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
    const body = via === 'header' ? { ok: false, error: 'ratelimited' } : { ok: false, error: 'ratelimited', retry_after: fault.retryAfterSeconds };
    return jsonResponse(429, body, headers);
  }
}
