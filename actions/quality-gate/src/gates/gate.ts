import type { Severity } from '../settings.ts';

/** The result of one gate. */
export type GateStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One gate's measured value against its threshold, and the decision. */
export interface GateResult {
  id: 'reports' | 'pass-rate' | 'flaky' | 'order' | 'duration' | 'coverage' | 'static-analysis';
  title: string;
  /** The measured value; undefined when it was not measured. */
  value: number | undefined;
  /** The value as the summary shows it, with its unit. */
  valueText: string;
  /** The threshold as the summary shows it, such as `≥ 98%`. */
  thresholdText: string;
  severity: Severity;
  status: GateStatus;
  /** The reason for the gate's decision, in one sentence. */
  reason: string;
}

/**
 * Decides a gate's status from whether its threshold was breached: a breach
 * fails or warns by severity, severity `off` always skips, and an
 * unmeasured value skips.
 */
export function decide(severity: Severity, measured: boolean, breached: boolean): GateStatus {
  if (severity === 'off' || !measured) return 'skip';
  if (!breached) return 'pass';
  return severity === 'fail' ? 'fail' : 'warn';
}

/** Formats a number with at most two decimals. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}
