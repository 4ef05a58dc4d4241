/** Built-in thresholds of one environment. */
export interface ThresholdProfile {
  /** Highest acceptable error rate, in percent. */
  maxErrorRatePercent: number;
  /** Highest acceptable P95 latency, in milliseconds. */
  maxLatencyMs: number;
}

/** The runbook's thresholds: staging tolerates more than production. */
export const thresholdProfiles: Record<'staging' | 'production', ThresholdProfile> = {
  staging: { maxErrorRatePercent: 1, maxLatencyMs: 500 },
  production: { maxErrorRatePercent: 0.1, maxLatencyMs: 200 },
};
