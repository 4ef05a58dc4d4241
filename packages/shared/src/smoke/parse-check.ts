import { parseDuration, durationForm } from '../duration.ts';
import { asObject, describeType, rejectUnknownKeys } from '../structured.ts';
import type { Capture, Expectation, HeaderValue, RequestBody, SmokeCheck } from './model.ts';
import { invalid, parseStatusSpec, parseValueAssertion } from './parse-assertions.ts';
import { templateNames, templateNamesDeep } from './templates.ts';

const checkKeys = [
  'name',
  'method',
  'path',
  'url',
  'headers',
  'query',
  'json',
  'form',
  'body',
  'expect',
  'capture',
  'consecutive-successes',
  'retry',
  'timeout',
] as const;
const expectKeys = ['status', 'json', 'headers', 'body', 'latency'] as const;
const captureKeys = ['json', 'header', 'secret'] as const;
const headerKeys = ['value', 'secret'] as const;
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Values that apply to every check unless the check sets its own. */
export interface CheckDefaults {
  timeoutMs: number;
  consecutiveSuccesses: number;
  latencyBudgetMs?: number;
}

/**
 * Parses one entry of the `checks` list into a SmokeCheck. Throws a
 * ConfigurationError that names the input and the check's position (and
 * name, when it has one) for any unknown key or invalid value.
 */
export function parseCheck(input: string, index: number, value: unknown, defaults: CheckDefaults): SmokeCheck {
  let location = `checks[${index}]`;
  const object = asObject(input, location, value);
  if (typeof object['name'] === 'string' && object['name'].trim() !== '') location = `${location} ("${object['name'].trim()}")`;
  rejectUnknownKeys(input, location, object, checkKeys);

  const method = parseMethod(input, location, object['method']);
  const target = parseTarget(input, location, object);
  const name = typeof object['name'] === 'string' && object['name'].trim() !== '' ? object['name'].trim() : defaultName(method, target);
  const headers = parseHeaders(input, `${location}.headers`, object['headers']);
  const query = parseStringMap(input, `${location}.query`, object['query']);
  const body = parseBody(input, location, object);
  const expect = parseExpect(input, `${location}.expect`, object['expect'], defaults.latencyBudgetMs);
  const captures = parseCaptures(input, `${location}.capture`, object['capture']);

  const uses = new Set<string>([
    ...templateNames('path' in target ? target.path : target.url),
    ...Object.values(headers).flatMap((header) => templateNames(header.value)),
    ...templateNamesDeep(query),
    ...templateNamesDeep(body?.value),
  ]);

  return {
    name,
    method,
    target,
    headers,
    query,
    body,
    expect,
    captures,
    consecutiveSuccesses: parseCount(input, `${location}.consecutive-successes`, object['consecutive-successes'], defaults.consecutiveSuccesses),
    retry: parseBoolean(input, `${location}.retry`, object['retry'], true),
    timeoutMs: parseDurationValue(input, `${location}.timeout`, object['timeout']) ?? defaults.timeoutMs,
    uses: [...uses],
  };
}

function parseMethod(input: string, location: string, value: unknown): string {
  if (value === undefined) return 'GET';
  const method = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (methods.includes(method)) return method;
  throw invalid(input, `${location}.method`, `is ${describeType(value)}`, `one of ${methods.join(', ')}`);
}

function parseTarget(input: string, location: string, object: Record<string, unknown>): SmokeCheck['target'] {
  const path = object['path'];
  const url = object['url'];
  if (path !== undefined && url !== undefined) throw invalid(input, location, 'sets both path and url', 'one of them');

  if (url !== undefined) {
    if (typeof url !== 'string' || !isAbsoluteHttpUrl(url)) {
      throw invalid(input, `${location}.url`, `has the invalid value ${JSON.stringify(url)}`, 'an absolute URL starting with http:// or https://');
    }
    return { url: url.trim() };
  }

  if (typeof path !== 'string' || !path.trim().startsWith('/')) {
    const problem = path === undefined ? 'has neither path nor url' : `has the invalid path ${JSON.stringify(path)}`;
    throw invalid(input, path === undefined ? location : `${location}.path`, problem, 'a path starting with / (such as /health/live) or an absolute url');
  }
  return { path: path.trim() };
}

/** Checks a URL with every `{{ name }}` replaced by a placeholder, since captures are unknown yet. */
function isAbsoluteHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim().replace(/\{\{[^}]*\}\}/g, 'x'));
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function defaultName(method: string, target: SmokeCheck['target']): string {
  return `${method} ${'path' in target ? target.path : target.url}`;
}

function parseHeaders(input: string, location: string, value: unknown): Record<string, HeaderValue> {
  if (value === undefined) return {};
  const object = asObject(input, location, value);
  const headers: Record<string, HeaderValue> = {};
  for (const [name, raw] of Object.entries(object)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw invalid(input, `${location}`, `has the invalid header name ${JSON.stringify(name)}`, 'a header name such as X-Api-Key');
    headers[name] = parseHeaderValue(input, `${location}.${name}`, raw);
  }
  return headers;
}

function parseHeaderValue(input: string, location: string, value: unknown): HeaderValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { value: String(value), secret: false };
  const object = asObject(input, location, value);
  rejectUnknownKeys(input, location, object, headerKeys);
  const text = object['value'];
  if (typeof text !== 'string' && typeof text !== 'number') throw invalid(input, `${location}.value`, `is ${describeType(text)}`, 'a string');
  return { value: String(text), secret: parseBoolean(input, `${location}.secret`, object['secret'], false) };
}

function parseStringMap(input: string, location: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  const object = asObject(input, location, value);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(object)) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      throw invalid(input, `${location}.${key}`, `is ${describeType(item)}`, 'a string, number or boolean');
    }
    result[key] = String(item);
  }
  return result;
}

function parseBody(input: string, location: string, object: Record<string, unknown>): RequestBody | undefined {
  const given = (['json', 'form', 'body'] as const).filter((key) => object[key] !== undefined);
  if (given.length > 1) throw invalid(input, location, `sets ${given.join(' and ')}`, 'at most one of json, form and body');

  if (object['json'] !== undefined) return { kind: 'json', value: object['json'] };
  if (object['form'] !== undefined) return { kind: 'form', value: parseStringMap(input, `${location}.form`, object['form']) };
  if (object['body'] !== undefined) {
    const body = object['body'];
    if (typeof body !== 'string') throw invalid(input, `${location}.body`, `is ${describeType(body)}`, 'a string (use json: for a JSON body)');
    return { kind: 'raw', value: body };
  }
  return undefined;
}

function parseExpect(input: string, location: string, value: unknown, defaultLatencyMs: number | undefined): Expectation {
  const expectation: Expectation = { status: [{ min: 200, max: 299 }], json: {}, headers: {}, latencyMs: defaultLatencyMs };
  if (value === undefined) return expectation;

  const object = asObject(input, location, value);
  rejectUnknownKeys(input, location, object, expectKeys);
  if (object['status'] !== undefined) expectation.status = parseStatusSpec(input, `${location}.status`, object['status']);
  if (object['json'] !== undefined) expectation.json = parseAssertionMap(input, `${location}.json`, object['json'], (key) => requireJsonPath(input, `${location}.json`, key));
  if (object['headers'] !== undefined) expectation.headers = parseAssertionMap(input, `${location}.headers`, object['headers'], (key) => key.toLowerCase());
  if (object['body'] !== undefined) expectation.body = parseValueAssertion(input, `${location}.body`, object['body']);
  if (object['latency'] !== undefined) expectation.latencyMs = parseDurationValue(input, `${location}.latency`, object['latency']);
  return expectation;
}

function parseAssertionMap(
  input: string,
  location: string,
  value: unknown,
  normalizeKey: (key: string) => string,
): Record<string, ReturnType<typeof parseValueAssertion>> {
  const object = asObject(input, location, value);
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [normalizeKey(key), parseValueAssertion(input, `${location}["${key}"]`, item)]));
}

function parseCaptures(input: string, location: string, value: unknown): Capture[] {
  if (value === undefined) return [];
  const object = asObject(input, location, value);
  return Object.entries(object).map(([name, item]) => parseCapture(input, `${location}.${name}`, name, item));
}

function parseCapture(input: string, location: string, name: string, value: unknown): Capture {
  if (!/^[A-Za-z_][\w-]*$/.test(name)) throw invalid(input, location, 'has an invalid name', 'letters, digits, _ and -, starting with a letter or _');
  if (typeof value === 'string') return { name, source: { json: requireJsonPath(input, location, value) }, secret: true };

  const object = asObject(input, location, value);
  rejectUnknownKeys(input, location, object, captureKeys);
  const secret = parseBoolean(input, `${location}.secret`, object['secret'], true);
  if (typeof object['json'] === 'string' && object['header'] === undefined) return { name, source: { json: requireJsonPath(input, `${location}.json`, object['json']) }, secret };
  if (typeof object['header'] === 'string' && object['json'] === undefined) return { name, source: { header: object['header'].toLowerCase() }, secret };
  throw invalid(input, location, 'needs exactly one source', 'json: <JSONPath> or header: <name>');
}

function requireJsonPath(input: string, location: string, path: string): string {
  if (path.trim().startsWith('$')) return path.trim();
  throw invalid(input, location, `has the path ${JSON.stringify(path)}`, 'a JSONPath expression starting with $, such as $.status');
}

function parseBoolean(input: string, location: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw invalid(input, location, `is ${describeType(value)}`, 'true or false');
}

function parseCount(input: string, location: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 100) return value;
  throw invalid(input, location, `is ${describeType(value)}`, 'a whole number from 1 to 100');
}

function parseDurationValue(input: string, location: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const parsed = typeof value === 'number' || typeof value === 'string' ? parseDuration(String(value)) : undefined;
  if (parsed === undefined || parsed <= 0) throw invalid(input, location, `is ${describeType(value)}`, durationForm);
  return parsed;
}
