/** Matches `{{ name }}`, with optional spaces inside the braces. */
const templatePattern = /\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g;

/** Returns the names used by `{{ name }}` templates in the text, in order of appearance. */
export function templateNames(text: string): string[] {
  return [...text.matchAll(templatePattern)].map((match) => match[1] ?? '');
}

/** Collects the template names in every string inside a parsed YAML value. */
export function templateNamesDeep(value: unknown): string[] {
  if (typeof value === 'string') return templateNames(value);
  if (Array.isArray(value)) return value.flatMap((item) => templateNamesDeep(item));
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap((item) => templateNamesDeep(item));
  return [];
}

/**
 * Replaces every `{{ name }}` with its value. The parser has already checked
 * that each name is defined, so a missing value means the check that captures
 * it did not pass, and the runner skips dependent checks before they get here.
 */
export function interpolate(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(templatePattern, (whole, name: string) => values.get(name) ?? whole);
}

/** Applies `interpolate` to every string inside a parsed YAML value, keeping its shape. */
export function interpolateDeep(value: unknown, values: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return interpolate(value, values);
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, values)]));
  }
  return value;
}
