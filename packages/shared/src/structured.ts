import { ConfigurationError } from './errors.ts';
import { closestMatch } from './suggest.ts';

type YamlModule = typeof import('yaml');

/**
 * Parses YAML (JSON is a subset) from an input, with the line and column of
 * a syntax error in the message. The parser is loaded on first use, so that
 * actions whose structured inputs are empty never load it.
 */
export async function parseStructuredText(input: string, text: string): Promise<unknown> {
  // In an esbuild bundle with code splitting, a dynamic import of the CommonJS
  // `yaml` package yields only `default` (esbuild 0.28), so take that when present.
  const module = (await import('yaml')) as YamlModule & { default?: YamlModule };
  const yaml = module.default ?? module;
  try {
    return yaml.parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    const detail = error instanceof yaml.YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new ConfigurationError(`Input "${input}" is not valid YAML or JSON: ${detail}`);
  }
}

/** The place of a value inside an input, for messages, such as `checks[2].expect`. */
export type Location = string;

/** Returns the value as a plain object, or throws naming its location. */
export function asObject(input: string, location: Location, value: unknown): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new ConfigurationError(`Input "${input}": ${location} must be a mapping of keys to values, but is ${describeType(value)}.`);
}

/** Returns the value as an array, or throws naming its location. */
export function asArray(input: string, location: Location, value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw new ConfigurationError(`Input "${input}": ${location} must be a list, but is ${describeType(value)}.`);
}

/**
 * Rejects keys outside `allowed`, suggesting the closest valid key, so a typo
 * such as `expected_status` is caught before anything runs.
 */
export function rejectUnknownKeys(input: string, location: Location, object: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (allowed.includes(key)) continue;
    const suggestion = closestMatch(key, allowed);
    const hint = suggestion ? ` Did you mean "${suggestion}"?` : ` Valid keys: ${allowed.join(', ')}.`;
    throw new ConfigurationError(`Input "${input}": ${location} has an unknown key "${key}".${hint}`);
  }
}

/** Names the type of a parsed YAML value for error messages. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}
