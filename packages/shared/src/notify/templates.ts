import { ConfigurationError, quote } from '../errors.ts';
import { closestMatch } from '../suggest.ts';

/** Variables that `title` and `text` templates may use, as `{{ name }}`. */
export const templateVariables = [
  'event',
  'status',
  'environment',
  'version',
  'revision',
  'reason',
  'severity',
  'details',
  'incident_key',
  'repository',
  'run_url',
  'actor',
  'sha',
  'short_sha',
  'ref',
  'workflow',
  'commit_message',
  'commit_url',
] as const;

/** A template variable name. */
export type TemplateVariable = (typeof templateVariables)[number];

const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Checks that every `{{ name }}` in the template is a known variable.
 * Throws a ConfigurationError naming the input, the unknown variable and the
 * closest valid one.
 */
export function validateTemplate(input: string, template: string): void {
  for (const match of template.matchAll(placeholder)) {
    const name = match[1] ?? '';
    if ((templateVariables as readonly string[]).includes(name)) continue;

    const suggestion = closestMatch(name, templateVariables);
    const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
    throw new ConfigurationError(
      `Input "${input}" uses the unknown template variable ${quote(name)}.${hint} Valid variables: ${templateVariables.join(', ')}.`,
    );
  }
}

/**
 * Replaces each `{{ name }}` with its value. Values are inserted as plain
 * text: a value that itself contains `{{ }}` is not expanded again.
 */
export function renderTemplate(template: string, values: Readonly<Record<TemplateVariable, string>>): string {
  return template.replace(placeholder, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as TemplateVariable] : whole,
  );
}
