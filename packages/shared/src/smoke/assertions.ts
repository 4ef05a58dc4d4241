import type { HttpResponse } from '../http.ts';
import { evaluateValue } from './evaluate-value.ts';
import { selectPath } from './jsonpath.ts';
import type { FailureKind, SmokeCheck } from './model.ts';
import { formatStatusSpec } from './parse-assertions.ts';

/** The failure of an attempt: its kind and a sentence for the log. */
export interface AttemptFailure {
  kind: FailureKind;
  reason: string;
}

/** The result of testing one response against its check. */
export interface Evaluation {
  failure?: AttemptFailure;
  /** Captured values by name; filled only when every assertion passed. */
  captured: Map<string, string>;
}

/**
 * Tests a response against the check's expectation in a fixed order: status,
 * JSON parsing, JSON paths, headers, body text, latency budget, and finally
 * the captures. Returns the first failure, so the message names one cause.
 */
export function evaluateResponse(check: SmokeCheck, response: Omit<HttpResponse, 'attempts'>): Evaluation {
  const captured = new Map<string, string>();
  const fail = (kind: FailureKind, reason: string): Evaluation => ({ failure: { kind, reason }, captured });
  const expect = check.expect;

  if (!expect.status.some((range) => response.status >= range.min && response.status <= range.max)) {
    return fail('status', `HTTP ${response.status} (expected ${formatStatusSpec(expect.status)})${describeBodyKind(response)}`);
  }

  const needsJson = Object.keys(expect.json).length > 0 || check.captures.some((capture) => 'json' in capture.source);
  let document: unknown;
  if (needsJson) {
    const parsed = parseJson(response.body);
    if (!parsed.ok) return fail('not-json', `expected a JSON body, but ${describeNonJson(response)}`);
    document = parsed.value;
  }

  for (const [path, assertion] of Object.entries(expect.json)) {
    const selection = selectPath(document, path);
    const problem = evaluateValue(path, selection.found, selection.value, assertion);
    if (problem) return fail('assertion', problem);
  }

  for (const [name, assertion] of Object.entries(expect.headers)) {
    const value = response.headers[name];
    const problem = evaluateValue(`header ${name}`, value !== undefined, value, assertion);
    if (problem) return fail('assertion', problem);
  }

  if (expect.body) {
    const problem = evaluateValue('the body', true, response.body, expect.body);
    if (problem) return fail('assertion', problem);
  }

  if (expect.latencyMs !== undefined && response.durationMs > expect.latencyMs) {
    return fail('latency', `took ${Math.round(response.durationMs)} ms, over the ${expect.latencyMs} ms latency budget`);
  }

  for (const capture of check.captures) {
    const value = readCapture(document, response, capture.source);
    if (value === undefined) return fail('capture', `cannot capture "${capture.name}": ${describeSource(capture.source)} is missing from the response`);
    captured.set(capture.name, value);
  }
  return { captured };
}

function readCapture(document: unknown, response: Omit<HttpResponse, 'attempts'>, source: SmokeCheck['captures'][number]['source']): string | undefined {
  if ('header' in source) return response.headers[source.header];
  const selection = selectPath(document, source.json);
  if (!selection.found || selection.value === null || selection.value === undefined) return undefined;
  return typeof selection.value === 'string' ? selection.value : JSON.stringify(selection.value);
}

function describeSource(source: SmokeCheck['captures'][number]['source']): string {
  return 'header' in source ? `header ${source.header}` : source.json;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function describeNonJson(response: Omit<HttpResponse, 'attempts'>): string {
  const contentType = response.headers['content-type'];
  const kind = looksLikeHtml(response) ? 'an HTML page' : response.body.trim() === '' ? 'empty' : 'not valid JSON';
  return `the body is ${kind} (Content-Type: ${contentType ?? 'not set'})`;
}

function describeBodyKind(response: Omit<HttpResponse, 'attempts'>): string {
  return looksLikeHtml(response) ? ', body is an HTML page' : '';
}

function looksLikeHtml(response: Omit<HttpResponse, 'attempts'>): boolean {
  return /text\/html/i.test(response.headers['content-type'] ?? '') || /^\s*<(!doctype html|html)/i.test(response.body);
}

/** Returns the start of a body for a failure message: whitespace collapsed, at most 200 characters. */
export function bodyExcerpt(body: string): string | undefined {
  const collapsed = body.replace(/\s+/g, ' ').trim();
  if (collapsed === '') return undefined;
  return collapsed.length > 200 ? `${collapsed.slice(0, 200)}…` : collapsed;
}
