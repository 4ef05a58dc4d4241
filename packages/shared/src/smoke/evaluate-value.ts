import { isDeepStrictEqual } from 'node:util';

import type { JsonType, LengthAssertion, ValueAssertion } from './model.ts';

/**
 * Tests one value against an assertion and returns the first failed
 * operator as a sentence, or undefined when every operator holds. `subject`
 * names the value in that sentence, such as `$.status` or `header etag`.
 */
export function evaluateValue(subject: string, found: boolean, value: unknown, assertion: ValueAssertion): string | undefined {
  if (assertion.exists === false) return found ? `${subject} exists (${formatValue(value)}), expected it to be absent` : undefined;
  if (!found) return `${subject} is missing`;

  const shown = formatValue(value);
  if ('equals' in assertion && !looselyEqual(value, assertion.equals)) return `${subject} is ${shown}, expected ${formatValue(assertion.equals)}`;
  if (assertion.type !== undefined && jsonType(value) !== assertion.type) return `${subject} is ${article(jsonType(value))} (${shown}), expected ${article(assertion.type)}`;
  if (assertion.matches !== undefined && !new RegExp(assertion.matches, 'u').test(asText(value))) return `${subject} is ${shown}, expected it to match /${assertion.matches}/`;
  if (assertion.contains !== undefined && !containsText(value, assertion.contains)) return `${subject} is ${shown}, expected it to contain ${formatValue(assertion.contains)}`;

  const comparison = compareNumber(subject, value, assertion);
  if (comparison) return comparison;

  if (assertion.length !== undefined) return checkLength(subject, value, assertion.length);
  return undefined;
}

function compareNumber(subject: string, value: unknown, bounds: { gt?: number; gte?: number; lt?: number; lte?: number }): string | undefined {
  const given = (['gt', 'gte', 'lt', 'lte'] as const).filter((key) => bounds[key] !== undefined);
  if (given.length === 0) return undefined;

  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) return `${subject} is ${formatValue(value)}, expected a number`;

  const symbols = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
  for (const key of given) {
    const limit = bounds[key] as number;
    if (!satisfiesBound(number, key, limit)) return `${subject} is ${number}, expected ${symbols[key]} ${limit}`;
  }
  return undefined;
}

function checkLength(subject: string, value: unknown, expected: number | LengthAssertion): string | undefined {
  const length = lengthOf(value);
  if (length === undefined) return `${subject} is ${formatValue(value)}, which has no length`;

  const bounds = typeof expected === 'number' ? { equals: expected } : expected;
  if (bounds.equals !== undefined && length !== bounds.equals) return `${subject} has length ${length}, expected ${bounds.equals}`;
  const comparison = compareNumber(`the length of ${subject}`, length, bounds);
  return comparison;
}

function satisfiesBound(number: number, key: 'gt' | 'gte' | 'lt' | 'lte', limit: number): boolean {
  switch (key) {
    case 'gt':
      return number > limit;
    case 'gte':
      return number >= limit;
    case 'lt':
      return number < limit;
    case 'lte':
      return number <= limit;
  }
}

/** Returns the length of a list or string, the number of keys of an object, or undefined for other values. */
function lengthOf(value: unknown): number | undefined {
  if (Array.isArray(value) || typeof value === 'string') return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

/** Compares with deep equality, and a scalar with its text form, since headers and bodies are text. */
function looselyEqual(actual: unknown, expected: unknown): boolean {
  if (isDeepStrictEqual(actual, expected)) return true;
  if (typeof actual === 'string' && (typeof expected === 'number' || typeof expected === 'boolean')) return actual === String(expected);
  return false;
}

function containsText(value: unknown, text: string): boolean {
  if (Array.isArray(value)) return value.some((item) => looselyEqual(item, text));
  return asText(value).includes(text);
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Names the JSON type of a parsed value. */
export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  return 'object';
}

function article(type: JsonType): string {
  return type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`;
}

/** Formats a value for a message as JSON, shortened to 80 characters. */
export function formatValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
