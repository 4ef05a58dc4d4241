import { ConfigurationError } from '@atom-actions/shared/errors';

/** Values of the placeholders a query template may use. */
export interface TemplateValues {
  version: string;
  namespace: string;
  interval: string;
  deployment: string;
}

const placeholder = /\{\{\s*([\w-]+)\s*\}\}/g;

/**
 * Replaces `{{ version }}`, `{{ namespace }}`, `{{ interval }}` and
 * `{{ deployment }}` in a PromQL template. Throws a ConfigurationError
 * naming an unknown placeholder, so a typo never reaches Prometheus.
 */
export function fillTemplate(metric: string, template: string, values: TemplateValues): string {
  return template.replace(placeholder, (_match, name: string) => {
    if (name in values) return values[name as keyof TemplateValues];
    throw new ConfigurationError(`The query of metric "${metric}" uses the unknown placeholder {{ ${name} }}; the known ones are {{ version }}, {{ namespace }}, {{ interval }} and {{ deployment }}.`);
  });
}
