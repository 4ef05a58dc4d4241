/** The runbook environment, which sets the default thresholds. */
export type Environment = 'staging' | 'production';

/** The thresholds of the runbook's verification table. */
export interface Thresholds {
  /** Highest acceptable share of 5xx responses, in percent. */
  maxErrorRatePercent: number;
  /** Highest acceptable 95th percentile latency, in milliseconds. */
  maxP95Ms: number;
  /** Lowest acceptable deployment success rate, in percent. */
  minSuccessRatePercent: number;
}

/** Default thresholds per environment: error rate below 1% / 0.1%, P95 below 500 / 200 ms, success rate above 95%. */
export const environmentThresholds: Record<Environment, Thresholds> = {
  staging: { maxErrorRatePercent: 1, maxP95Ms: 500, minSuccessRatePercent: 95 },
  production: { maxErrorRatePercent: 0.1, maxP95Ms: 200, minSuccessRatePercent: 95 },
};
