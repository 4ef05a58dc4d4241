import type { LatencyPercentiles } from './model.ts';

/**
 * Returns a percentile by the nearest-rank method: the smallest sample such
 * that at least `percent` percent of the samples are less than or equal to it.
 * Returns undefined for no samples.
 */
export function percentile(samples: readonly number[], percent: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** Computes P50, P95 and P99 of latency samples, rounded to 0.1 ms. */
export function latencyPercentiles(samples: readonly number[]): LatencyPercentiles {
  const round = (value: number | undefined): number | undefined => (value === undefined ? undefined : Math.round(value * 10) / 10);
  return {
    p50Ms: round(percentile(samples, 50)),
    p95Ms: round(percentile(samples, 95)),
    p99Ms: round(percentile(samples, 99)),
    samples: samples.length,
  };
}
