import type { Dispatcher } from 'undici';

import { sendOnce, toRequestError, type HttpResponse } from '../http.ts';
import { redactUrl } from '../secrets.ts';
import type { SmokeCheck } from './model.ts';
import { interpolate, interpolateDeep } from './templates.ts';

/** A check's request with every template resolved. */
export interface PreparedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** The final response of one attempt and the redirects that led to it. */
export interface Exchange {
  response: Omit<HttpResponse, 'attempts'>;
  /** The URL that produced the final response. */
  url: URL;
  /** Every URL requested, in order, when at least one redirect was followed. */
  redirects: string[];
}

/** Options for sending one attempt. */
export interface SendOptions {
  dispatcher?: Dispatcher;
  timeoutMs: number;
  /** Epoch milliseconds after which no request starts. */
  deadline: number;
  maxRedirects: number;
}

/** A redirect chain that loops or exceeds the limit. */
export class RedirectError extends Error {
  override readonly name = 'RedirectError';
  readonly kind: 'redirect-loop' | 'too-many-redirects';
  readonly chain: string[];

  constructor(message: string, kind: RedirectError['kind'], chain: string[]) {
    super(message);
    this.kind = kind;
    this.chain = chain;
  }
}

const userAgent = 'atom-actions-smoke-test';
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** Resolves a check's templates, URL, query and body into the request to send. */
export function prepareRequest(check: SmokeCheck, baseUrl: URL, values: ReadonlyMap<string, string>): PreparedRequest {
  const url = 'url' in check.target ? new URL(interpolate(check.target.url, values)) : joinUrl(baseUrl, interpolate(check.target.path, values));
  for (const [key, value] of Object.entries(check.query)) url.searchParams.append(key, interpolate(value, values));

  const headers: Record<string, string> = { 'user-agent': userAgent, accept: 'application/json, */*;q=0.5' };
  for (const [name, header] of Object.entries(check.headers)) headers[name.toLowerCase()] = interpolate(header.value, values);

  let body: string | undefined;
  if (check.body?.kind === 'json') {
    body = JSON.stringify(interpolateDeep(check.body.value, values));
    headers['content-type'] ??= 'application/json';
  } else if (check.body?.kind === 'form') {
    body = new URLSearchParams(interpolateDeep(check.body.value, values) as Record<string, string>).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (check.body?.kind === 'raw') {
    body = interpolate(check.body.value, values);
  }

  return { method: check.method, url, headers, body };
}

/** Appends a path to the base URL, keeping the base URL's own path (`https://host/app` + `/health`). */
export function joinUrl(baseUrl: URL, path: string): URL {
  const basePath = baseUrl.pathname.replace(/\/+$/, '');
  return new URL(`${baseUrl.origin}${basePath}${path}`);
}

/**
 * Sends one attempt and follows redirects up to the limit, as browsers do:
 * 303, and 301 or 302 after a POST, continue as GET without a body; 307 and
 * 308 repeat the method and body. Credentials are dropped when a redirect
 * leaves the origin. Throws RedirectError for a loop or too many redirects,
 * and HttpRequestError (classified) when no response arrives.
 */
export async function sendWithRedirects(request: PreparedRequest, options: SendOptions): Promise<Exchange> {
  let current = request;
  const visited: string[] = [request.url.href];
  let elapsedMs = 0;

  for (;;) {
    let response: Omit<HttpResponse, 'attempts'>;
    try {
      response = await sendOnce({ ...current, timeoutMs: options.timeoutMs, deadline: options.deadline, dispatcher: options.dispatcher }, current.method);
    } catch (error) {
      throw toRequestError(error, 1);
    }
    elapsedMs += response.durationMs;

    const location = response.headers['location'];
    if (!redirectStatuses.has(response.status) || !location || options.maxRedirects === 0) {
      return { response: { ...response, durationMs: elapsedMs }, url: current.url, redirects: visited.length > 1 ? visited : [] };
    }

    const next = new URL(location, current.url);
    if (visited.includes(next.href)) {
      const chain = [...visited, next.href];
      throw new RedirectError(`Redirect loop: ${chain.map(redactUrl).join(' → ')}`, 'redirect-loop', chain);
    }
    if (visited.length > options.maxRedirects) {
      const chain = [...visited, next.href];
      throw new RedirectError(`More than ${options.maxRedirects} redirects: ${chain.map(redactUrl).join(' → ')}`, 'too-many-redirects', chain);
    }
    visited.push(next.href);
    current = redirectedRequest(current, response.status, next);
  }
}

function redirectedRequest(request: PreparedRequest, status: number, next: URL): PreparedRequest {
  const headers = { ...request.headers };
  if (next.origin !== request.url.origin) {
    delete headers['authorization'];
    delete headers['cookie'];
  }

  const becomesGet = status === 303 ? request.method !== 'HEAD' : (status === 301 || status === 302) && request.method === 'POST';
  if (!becomesGet) return { ...request, url: next, headers };

  delete headers['content-type'];
  return { method: 'GET', url: next, headers, body: undefined };
}
