import { ConfigurationError } from '../errors.ts';
import { asObject, describeType, rejectUnknownKeys } from '../structured.ts';
import type { JsonType, LengthAssertion, StatusRange, ValueAssertion } from './model.ts';

const assertionKeys = ['equals', 'exists', 'matches', 'contains', 'gt', 'gte', 'lt', 'lte', 'length', 'type'] as const;
const lengthKeys = ['equals', 'gt', 'gte', 'lt', 'lte'] as const;
const jsonTypes: readonly JsonType[] = ['string', 'number', 'boolean', 'null', 'array', 'object'];

/**
 * Parses an assertion on one value. A mapping contains operators, and any other
 * value is shorthand for `equals: value`.
 */
export function parseValueAssertion(input: string, location: string, value: unknown): ValueAssertion {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { equals: value };

  const object = value as Record<string, unknown>;
  rejectUnknownKeys(input, location, object, assertionKeys);
  if (Object.keys(object).length === 0) throw invalid(input, location, 'has no operator', `one of ${assertionKeys.join(', ')}`);

  const assertion: ValueAssertion = {};
  if ('equals' in object) assertion.equals = object['equals'];
  if ('exists' in object) assertion.exists = readBoolean(input, `${location}.exists`, object['exists']);
  if ('matches' in object) assertion.matches = readPattern(input, `${location}.matches`, object['matches']);
  if ('contains' in object) assertion.contains = readString(input, `${location}.contains`, object['contains']);
  for (const key of ['gt', 'gte', 'lt', 'lte'] as const) {
    if (key in object) assertion[key] = readNumber(input, `${location}.${key}`, object[key]);
  }
  if ('length' in object) assertion.length = parseLength(input, `${location}.length`, object['length']);
  if ('type' in object) assertion.type = readType(input, `${location}.type`, object['type']);
  return assertion;
}

function parseLength(input: string, location: string, value: unknown): number | LengthAssertion {
  if (typeof value === 'number') return readCount(input, location, value);

  const object = asObject(input, location, value);
  rejectUnknownKeys(input, location, object, lengthKeys);
  const length: LengthAssertion = {};
  for (const key of lengthKeys) {
    if (key in object) length[key] = readCount(input, `${location}.${key}`, object[key]);
  }
  return length;
}

/**
 * Parses the expected status: a number, a range such as `200-299`, a class
 * such as `2xx`, or a list of those.
 */
export function parseStatusSpec(input: string, location: string, value: unknown): StatusRange[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw invalid(input, location, 'is an empty list', 'a status such as 200, a range such as 200-299, or a list of them');
  return items.map((item, index) => parseStatusItem(input, Array.isArray(value) ? `${location}[${index}]` : location, item));
}

function parseStatusItem(input: string, location: string, value: unknown): StatusRange {
  const expected = 'a status such as 200, a range such as 200-299, or a class such as 2xx';
  let text = '';
  if (typeof value === 'number') text = String(value);
  if (typeof value === 'string') text = value.trim();

  const single = /^([1-5]\d\d)$/.exec(text);
  if (single) return { min: Number(single[1]), max: Number(single[1]) };

  const range = /^([1-5]\d\d)\s*-\s*([1-5]\d\d)$/.exec(text);
  if (range && Number(range[1]) <= Number(range[2])) return { min: Number(range[1]), max: Number(range[2]) };

  const statusClass = /^([1-5])xx$/i.exec(text);
  if (statusClass) return { min: Number(statusClass[1]) * 100, max: Number(statusClass[1]) * 100 + 99 };

  throw invalid(input, location, `is ${describeType(value)}`, expected);
}

/** Formats status ranges for messages: `200`, `200-299` or `200, 204`. */
export function formatStatusSpec(ranges: readonly StatusRange[]): string {
  return ranges.map((range) => (range.min === range.max ? String(range.min) : `${range.min}-${range.max}`)).join(', ');
}

function readBoolean(input: string, location: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw invalid(input, location, `is ${describeType(value)}`, 'true or false');
}

function readString(input: string, location: string, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw invalid(input, location, `is ${describeType(value)}`, 'a string');
}

function readPattern(input: string, location: string, value: unknown): string {
  const pattern = readString(input, location, value);
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    throw invalid(input, location, `is not a valid regular expression (${(error as Error).message})`, 'a JavaScript regular expression');
  }
  return pattern;
}

function readNumber(input: string, location: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw invalid(input, location, `is ${describeType(value)}`, 'a number');
}

function readCount(input: string, location: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw invalid(input, location, `is ${describeType(value)}`, 'a whole number of at least 0');
}

function readType(input: string, location: string, value: unknown): JsonType {
  if (typeof value === 'string' && (jsonTypes as readonly string[]).includes(value)) return value as JsonType;
  throw invalid(input, location, `is ${describeType(value)}`, `one of ${jsonTypes.join(', ')}`);
}

/** Builds the error for a value inside a structured input: where it is, what is wrong, what is expected. */
export function invalid(input: string, location: string, problem: string, expected: string): ConfigurationError {
  return new ConfigurationError(`Input "${input}": ${location} ${problem}: expected ${expected}.`);
}
