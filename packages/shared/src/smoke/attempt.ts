import type { Dispatcher } from 'undici';

import { parseRetryAfter } from '../backoff.ts';
import { HttpRequestError } from '../http.ts';
import { redactUrl } from '../secrets.ts';
import { bodyExcerpt, evaluateResponse, type AttemptFailure } from './assertions.ts';
import type { SmokeCheck, SmokeConfig } from './model.ts';
import { prepareRequest, RedirectError, sendWithRedirects, type PreparedRequest } from './request.ts';

/** The outcome of one attempt of a check. */
export interface AttemptRecord {
  /** The URL of the final response, or of the request when none arrived; redacted. */
  url: string;
  redirects: string[];
  status?: number;
  latencyMs?: number;
  bodyExcerpt?: string;
  /** The server's `Retry-After` in milliseconds, when it sent one. */
  retryAfterMs?: number;
  failure?: AttemptFailure;
  captured: Map<string, string>;
}

/** The run state an attempt reads besides its check. */
export interface AttemptContext {
  config: SmokeConfig;
  values: ReadonlyMap<string, string>;
  dispatcher?: Dispatcher;
  /** Epoch milliseconds at which the run's timeout passes. */
  deadline: number;
}

/** Sends one attempt of a check and tests the response. Never throws. */
export async function runAttempt(check: SmokeCheck, context: AttemptContext): Promise<AttemptRecord> {
  const sendOptions = { dispatcher: context.dispatcher, timeoutMs: check.timeoutMs, deadline: context.deadline, maxRedirects: context.config.maxRedirects };
  let request: PreparedRequest | undefined;

  try {
    // Inside the try because a captured value can make the URL invalid.
    request = prepareRequest(check, context.config.baseUrl, context.values);
    const exchange = await sendWithRedirects(request, sendOptions);
    const evaluation = evaluateResponse(check, exchange.response);
    return {
      url: redactUrl(exchange.url),
      redirects: exchange.redirects.map((url) => redactUrl(url)),
      status: exchange.response.status,
      latencyMs: exchange.response.durationMs,
      bodyExcerpt: evaluation.failure ? bodyExcerpt(exchange.response.body) : undefined,
      retryAfterMs: parseRetryAfter(exchange.response.headers['retry-after']),
      failure: evaluation.failure,
      captured: evaluation.captured,
    };
  } catch (error) {
    const target = 'path' in check.target ? check.target.path : check.target.url;
    const url = request ? redactUrl(request.url) : target;
    return { url, redirects: [], failure: describeError(error, check), captured: new Map() };
  }
}

function describeError(error: unknown, check: SmokeCheck): AttemptFailure {
  if (error instanceof RedirectError) return { kind: error.kind, reason: error.message };
  if (!(error instanceof HttpRequestError)) return { kind: 'other', reason: error instanceof Error ? error.message : String(error) };

  const detail = error.cause instanceof Error && error.cause.message !== error.message ? `${error.message}: ${error.cause.message}` : error.message;
  switch (error.kind) {
    case 'connection-refused':
      return { kind: 'connection-refused', reason: `connection refused (${detail})` };
    case 'connection-reset':
      return { kind: 'connection-reset', reason: `connection reset by the server before a response arrived (${detail})` };
    case 'timeout':
      return { kind: 'timeout', reason: `no response within the ${check.timeoutMs} ms request timeout` };
    case 'deadline':
      return { kind: 'deadline', reason: "the run's timeout passed before the request was sent" };
    case 'tls':
      return { kind: 'tls', reason: `TLS verification failed: ${detail}. Set ca-certificate to the CA that signed the server's certificate` };
    case 'dns':
      return { kind: 'dns', reason: `the host name was not found (${detail})` };
    default:
      return { kind: 'other', reason: detail };
  }
}
