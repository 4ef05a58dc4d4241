import * as fs from 'node:fs';
import * as path from 'node:path';

import { boundedDurationForm, durationForm, parseDuration } from './duration.ts';
import { invalidInput, missingInput, quote, ConfigurationError } from './errors.ts';
import { parseStructuredText } from './structured.ts';

/** Reads the raw value of an input by its name, as `core.getInput` does. */
export type InputGetter = (name: string) => string;

/**
 * Reads an input from the environment the runner prepares: `INPUT_` plus the
 * name upper-cased with spaces replaced by underscores (hyphens are kept),
 * trimmed. This is the lookup of `core.getInput`, without loading the toolkit
 * before the inputs are known to be valid.
 */
export function runnerInput(name: string): string {
  const key = `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
  return (process.env[key] ?? '').trim();
}

interface Required {
  required: true;
}

interface Optional<T> {
  default: T;
}

type Presence<T> = Required | Optional<T>;

/**
 * Parses the inputs of one action into typed values. Each method reads one
 * input, applies its default when the input is empty, and throws a
 * ConfigurationError naming the input, quoting the value and showing the
 * expected form when the value does not parse.
 */
export class InputReader {
  private readonly getInput: InputGetter;
  private readonly workspace: string;

  constructor(getInput: InputGetter = runnerInput, workspace: string = process.env['GITHUB_WORKSPACE'] ?? process.cwd()) {
    this.getInput = getInput;
    this.workspace = workspace;
  }

  /** Returns the raw trimmed value, or '' when unset. */
  raw(name: string): string {
    return this.getInput(name).trim();
  }

  /** Reads a string; a required one must not be empty. */
  string(name: string, presence: Presence<string> = { default: '' }): string {
    return this.read(name, 'a non-empty string', presence, (value) => value);
  }

  /** Reads a strict YAML 1.2 boolean: true, True, TRUE, false, False or FALSE. */
  boolean(name: string, presence: Presence<boolean>): boolean {
    const expected = 'true or false';
    return this.read(name, expected, presence, (value) => {
      if (['true', 'True', 'TRUE'].includes(value)) return true;
      if (['false', 'False', 'FALSE'].includes(value)) return false;
      throw invalidInput(name, value, expected);
    });
  }

  /** Reads one of a fixed set of words, case-sensitively. */
  choice<T extends string>(name: string, choices: readonly T[], presence: Presence<T>): T {
    const expected = `one of ${choices.join(', ')}`;
    return this.read(name, expected, presence, (value) => {
      if ((choices as readonly string[]).includes(value)) return value as T;
      throw invalidInput(name, value, expected);
    });
  }

  /**
   * Reads a duration (`30s`, `5m`, `1h30m`) and returns milliseconds. A bare
   * number means seconds unless `requireUnit` is set, for thresholds such as
   * a latency where `500` would too easily be meant as milliseconds.
   */
  duration(name: string, presence: Presence<string>, limits: { min?: number; max?: number; requireUnit?: boolean } = {}): number {
    const resolved: Presence<string> = 'required' in presence ? presence : { default: presence.default };
    const text = this.read(name, durationForm, resolved, (value) => value);
    if (limits.requireUnit && /^\d+(?:\.\d+)?$/.test(text.trim())) {
      throw invalidInput(name, text, `${durationForm}, with a unit (a bare number is ambiguous here)`);
    }
    return parseDurationInput(name, text, limits);
  }

  /** Reads an integer within optional bounds. */
  integer(name: string, presence: Presence<number>, limits: { min?: number; max?: number } = {}): number {
    return this.read(name, describeIntegerRange(limits), presence, (value) => parseIntegerInput(name, value, limits));
  }

  /** Reads a number within optional bounds. */
  number(name: string, presence: Presence<number>, limits: { min?: number; max?: number } = {}): number {
    const expected = describeRange('a number', limits);
    return this.read(name, expected, presence, (value) => {
      const parsed = Number(value);
      if (value === '' || !Number.isFinite(parsed)) throw invalidInput(name, value, expected);
      if (!withinLimits(parsed, limits)) throw invalidInput(name, value, expected);
      return parsed;
    });
  }

  /** Reads a percentage such as `98`, `98%` or `0.1%` and returns it in percent (0 to 100). */
  percentage(name: string, presence: Presence<number>): number {
    return this.read(name, 'a percentage from 0 to 100 such as 98 or 0.1%', presence, (value) =>
      parsePercentage(name, value),
    );
  }

  /** Reads a list separated by commas or newlines; empty items are dropped. */
  list(name: string, presence: Presence<string[]> = { default: [] }): string[] {
    return this.read(name, 'a list separated by commas or newlines', presence, splitList);
  }

  /** Reads an absolute URL whose scheme is one of `schemes` (default http and https). */
  url(name: string, presence: Presence<URL | undefined>, schemes: readonly string[] = ['http:', 'https:']): URL {
    const expected = `an absolute URL starting with ${schemes.map((scheme) => `${scheme}//`).join(' or ')}`;
    const result = this.read<URL | undefined>(name, expected, presence, (value) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw invalidInput(name, value, expected);
      }
      if (!schemes.includes(url.protocol)) throw invalidInput(name, value, expected);
      return url;
    });
    return result as URL;
  }

  /** Reads an optional URL, returning undefined when the input is empty. */
  optionalUrl(name: string, schemes?: readonly string[]): URL | undefined {
    if (this.raw(name) === '') return undefined;
    return this.url(name, { default: undefined }, schemes);
  }

  /**
   * Reads YAML or JSON given inline, or the path of a file that contains it
   * (relative to the workspace). Returns undefined when the input is empty.
   */
  async structured(name: string): Promise<unknown> {
    const value = this.raw(name);
    if (value === '') return undefined;
    return parseStructuredText(name, this.inlineOrFile(name, value));
  }

  /** Returns the file's content when `value` names an existing file, else the value itself. */
  inlineOrFile(name: string, value: string): string {
    if (value.includes('\n') || value.length > 4096) return value;
    const candidate = path.resolve(this.workspace, value);
    try {
      if (fs.statSync(candidate).isFile()) return fs.readFileSync(candidate, 'utf8');
    } catch {
      // Not a file: the value is the content itself.
    }
    if (/\.(ya?ml|json)$/i.test(value)) {
      throw new ConfigurationError(`Input "${name}" names the file ${quote(value)}, which was not found in ${this.workspace}.`);
    }
    return value;
  }

  private read<T>(name: string, expected: string, presence: Presence<T>, parse: (value: string) => T): T {
    const value = this.raw(name);
    if (value === '') {
      if ('required' in presence) throw missingInput(name, expected);
      return presence.default;
    }
    return parse(value);
  }
}

/** Splits a comma- or newline-separated list, trimming items and dropping empty ones. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Parses a percentage (`98`, `98%`, `0.1%`) into percent, or throws naming the input. */
export function parsePercentage(name: string, value: string): number {
  const expected = 'a percentage from 0 to 100 such as 98 or 0.1%';
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(value.trim());
  const parsed = match ? Number(match[1]) : Number.NaN;
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 100) throw invalidInput(name, value, expected);
  return parsed;
}

/** Parses a duration into milliseconds, or throws naming the input. */
export function parseDurationInput(name: string, value: string, limits: { min?: number; max?: number } = {}): number {
  const parsed = parseDuration(value);
  if (parsed === undefined) throw invalidInput(name, value, durationForm);
  if (!withinLimits(parsed, limits)) throw invalidInput(name, value, boundedDurationForm(limits));
  return parsed;
}

/** Parses a whole number within optional bounds, or throws naming the input. */
export function parseIntegerInput(name: string, value: string, limits: { min?: number; max?: number } = {}): number {
  const expected = describeIntegerRange(limits);
  if (!/^[-+]?\d+$/.test(value.trim())) throw invalidInput(name, value, expected);
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || !withinLimits(parsed, limits)) throw invalidInput(name, value, expected);
  return parsed;
}

function withinLimits(value: number, limits: { min?: number; max?: number }): boolean {
  if (limits.min !== undefined && value < limits.min) return false;
  if (limits.max !== undefined && value > limits.max) return false;
  return true;
}

function describeIntegerRange(limits: { min?: number; max?: number }): string {
  return describeRange('a whole number', limits);
}

function describeRange(noun: string, limits: { min?: number; max?: number }): string {
  if (limits.min !== undefined && limits.max !== undefined) return `${noun} from ${limits.min} to ${limits.max}`;
  if (limits.min !== undefined) return `${noun} of at least ${limits.min}`;
  if (limits.max !== undefined) return `${noun} of at most ${limits.max}`;
  return noun;
}
