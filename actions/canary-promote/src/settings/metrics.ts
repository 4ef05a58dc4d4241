import { ConfigurationError } from '@atom-actions/shared/errors';
import { asArray, asObject, describeType, rejectUnknownKeys } from '@atom-actions/shared/structured';

/** A metric judged at every measurement. */
export interface MetricDefinition {
  /** Short name for logs, the summary and the metrics output, such as `error-rate`. */
  name: string;
  /** PromQL template; see `fillTemplate` for the placeholders. */
  query: string;
  threshold: number;
  /** `below`: the value must stay at or below the threshold; `above`: at or above it. */
  direction: 'below' | 'above';
  /** Display unit: `percent` for ratios, `seconds` for latencies, `number` otherwise. */
  unit: 'percent' | 'seconds' | 'number';
  /** Allowed excess over the stable value when comparing to stable: added for `points`, multiplied for `relative`. */
  tolerance?: { kind: 'points' | 'relative'; value: number };
}

const metricKeys = ['name', 'query', 'threshold', 'direction'] as const;

/** Parses the `metrics` input (a YAML list of name, query, threshold, direction) into definitions. */
export function parseCustomMetrics(input: string, value: unknown): MetricDefinition[] {
  if (value === undefined) return [];
  return asArray(input, 'the document', value).map((entry, index) => parseMetric(input, `item ${index + 1}`, entry));
}

function parseMetric(input: string, location: string, entry: unknown): MetricDefinition {
  const object = asObject(input, location, entry);
  rejectUnknownKeys(input, location, object, metricKeys);

  const name = object['name'];
  if (typeof name !== 'string' || !/^[A-Za-z][\w-]*$/.test(name)) {
    throw new ConfigurationError(`Input "${input}": ${location}.name must be a word of letters, digits, _ or -, such as p99-latency, but is ${describeType(name)}.`);
  }

  const query = object['query'];
  if (typeof query !== 'string' || query.trim() === '') {
    throw new ConfigurationError(`Input "${input}": ${location}.query must be a PromQL expression, but is ${describeType(query)}.`);
  }

  const threshold = object['threshold'];
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new ConfigurationError(`Input "${input}": ${location}.threshold must be a number, but is ${describeType(threshold)}.`);
  }

  const direction = object['direction'] ?? 'below';
  if (direction !== 'below' && direction !== 'above') {
    throw new ConfigurationError(`Input "${input}": ${location}.direction must be below or above, but is ${describeType(direction)}.`);
  }

  return { name, query, threshold, direction, unit: 'number' };
}
