import type { Measurement } from '../analysis/model.ts';

/** One row of the `metrics` output. */
export interface MetricRecord {
  step: number;
  weight: number;
  time: string;
  metric: string;
  value: number | null;
  threshold: number;
  stableValue?: number;
  requests: number | null;
  verdict: string;
}

/** Flattens the measurements into one record per metric and measurement, for the `metrics` output. */
export function metricRecords(measurements: readonly Measurement[]): MetricRecord[] {
  return measurements.flatMap((measurement) =>
    measurement.metrics.map((metric) => ({
      step: measurement.step,
      weight: measurement.weight,
      time: measurement.time,
      metric: metric.name,
      value: metric.value === undefined || !Number.isFinite(metric.value) ? null : metric.value,
      threshold: metric.threshold,
      ...(metric.stableValue !== undefined ? { stableValue: metric.stableValue } : {}),
      requests: measurement.requests ?? null,
      verdict: metric.verdict,
    })),
  );
}
