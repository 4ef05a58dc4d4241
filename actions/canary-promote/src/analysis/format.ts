import type { MetricDefinition } from '../settings/metrics.ts';

/** Formats a metric value for logs and the summary: ratios as percent, seconds as milliseconds. */
export function formatValue(unit: MetricDefinition['unit'], value: number | undefined): string {
  if (value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (unit === 'percent') return `${trim(value * 100, 3)}%`;
  if (unit === 'seconds') return `${trim(value * 1000, 1)}ms`;
  return trim(value, 4);
}

function trim(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}
