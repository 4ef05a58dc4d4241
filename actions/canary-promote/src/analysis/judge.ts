import type { MetricDefinition } from '../settings/metrics.ts';
import { formatValue } from './format.ts';
import type { MetricResult } from './model.ts';

/**
 * Returns the threshold that applies: the fixed one, or, when a stable
 * value is given, the stable value plus the metric's tolerance (points are
 * added, relative tolerances multiply). A metric without tolerance keeps its
 * fixed threshold.
 */
export function effectiveThreshold(metric: MetricDefinition, stableValue: number | undefined): number {
  if (stableValue === undefined || !metric.tolerance) return metric.threshold;
  if (metric.tolerance.kind === 'points') return stableValue + metric.tolerance.value;
  return stableValue * (1 + metric.tolerance.value);
}

/** Judges a value against its threshold in the metric's direction. */
export function judgeValue(metric: MetricDefinition, query: string, value: number, threshold: number, stableValue?: number): MetricResult {
  const passes = metric.direction === 'below' ? value <= threshold : value >= threshold;
  const comparison = metric.direction === 'below' ? 'above the maximum' : 'below the minimum';
  const base = { name: metric.name, unit: metric.unit, direction: metric.direction, query, value, threshold, ...(stableValue !== undefined ? { stableValue } : {}) };
  if (passes) return { ...base, verdict: 'pass' };

  const relative = stableValue !== undefined && metric.tolerance ? ` (stable ${formatValue(metric.unit, stableValue)} plus tolerance)` : '';
  return { ...base, verdict: 'fail', detail: `${metric.name} ${formatValue(metric.unit, value)} is ${comparison} ${formatValue(metric.unit, threshold)}${relative}` };
}
