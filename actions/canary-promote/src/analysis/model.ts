import type { MetricDefinition } from '../settings/metrics.ts';

/** The outcome of one metric, one measurement, or one step. */
export type Verdict = 'pass' | 'fail' | 'no-data' | 'error';

/** One metric's value at one measurement, against its threshold. */
export interface MetricResult {
  name: string;
  unit: MetricDefinition['unit'];
  direction: MetricDefinition['direction'];
  query: string;
  value?: number;
  /** The stable version's value when comparing to stable. */
  stableValue?: number;
  /** The threshold applied: the fixed one, or stable's value plus the tolerance. */
  threshold: number;
  verdict: Verdict;
  /** Why the verdict is not pass: the breach, the missing data or the query error. */
  detail?: string;
}

/** One measurement of every metric during a step. */
export interface Measurement {
  /** 1-based step number. */
  step: number;
  weight: number;
  /** ISO time of the measurement. */
  time: string;
  /** Canary requests in the query window, when the request count query returned a value. */
  requests?: number;
  metrics: MetricResult[];
  verdict: Verdict;
  /** The first reason the verdict is not pass. */
  reason?: string;
}

/** Outcome of one step, with its measurements. */
export interface StepOutcome {
  verdict: 'pass' | 'fail' | 'inconclusive';
  reason: string;
  measurements: Measurement[];
}
