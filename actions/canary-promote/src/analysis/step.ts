import { countOf } from '@atom-actions/shared/plural';
import { sleep } from '@atom-actions/shared/backoff';
import { formatDuration } from '@atom-actions/shared/duration';

import { formatValue } from './format.ts';
import { measureOnce, type MeasureContext } from './measure.ts';
import type { Measurement, StepOutcome } from './model.ts';

/** One step to judge. */
export interface StepPlan {
  /** 1-based step number. */
  step: number;
  weight: number;
  pauseMs: number;
}

/** Callbacks and cancellation of a step analysis. */
export interface StepHooks {
  log: (line: string) => void;
  warn: (line: string) => void;
  onMeasurement: (measurement: Measurement) => void;
  signal?: AbortSignal;
}

/**
 * Judges one step: measures every `interval` until the pause is over, or
 * once at the end of a pause shorter than the interval. The step ends early
 * on the first failed measurement beyond `failure-limit`, on
 * `consecutive-error-limit` failed queries in a row, or on no data when
 * on-no-data is inconclusive. A step passes only when at least one
 * measurement passed with data, so a step whose every query failed, or
 * whose canary got no traffic, never passes.
 */
export async function analyseStep(context: MeasureContext, plan: StepPlan, hooks: StepHooks): Promise<StepOutcome> {
  const { analysis } = context;
  const rounds = Math.max(1, Math.floor(plan.pauseMs / analysis.intervalMs));
  const wait = Math.min(analysis.intervalMs, plan.pauseMs);
  const measurements: Measurement[] = [];
  let failures = 0;
  let consecutiveErrors = 0;
  let passes = 0;

  hooks.log(`Step ${plan.step} at ${plan.weight}%: ${countOf(rounds, 'measurement')}, one every ${formatDuration(wait)} for ${formatDuration(plan.pauseMs)}.`);
  for (let round = 1; round <= rounds; round++) {
    await sleep(wait, hooks.signal);
    const measurement = await measureOnce(context, plan.step, plan.weight);
    measurements.push(measurement);
    hooks.onMeasurement(measurement);
    hooks.log(describeMeasurement(measurement, round, rounds, analysis.minRequests));

    if (measurement.verdict === 'error') {
      consecutiveErrors++;
      hooks.warn(`Measurement ${round} of step ${plan.step} failed (${consecutiveErrors} in a row; the step ends at ${analysis.consecutiveErrorLimit}): ${measurement.reason}`);
      if (consecutiveErrors >= analysis.consecutiveErrorLimit) {
        return { verdict: 'fail', reason: `${consecutiveErrors} measurements in a row failed at ${plan.weight}%, the consecutive-error-limit: ${measurement.reason}`, measurements };
      }
      continue;
    }
    consecutiveErrors = 0;

    if (measurement.verdict === 'no-data') {
      if (analysis.onNoData === 'inconclusive') return { verdict: 'inconclusive', reason: `No data at ${plan.weight}%: ${measurement.reason}`, measurements };
      if (analysis.onNoData === 'pass') {
        // A gap is tolerated, but it never counts as the passing measurement a step needs.
        hooks.warn(`No data at ${plan.weight}%, tolerated because on-no-data is pass: ${measurement.reason}`);
        continue;
      }
    }

    if (measurement.verdict === 'fail' || measurement.verdict === 'no-data') {
      failures++;
      if (failures > analysis.failureLimit) {
        return { verdict: 'fail', reason: `Failed at ${plan.weight}% (${countOf(failures, 'failed measurement')}, failure-limit ${analysis.failureLimit}): ${measurement.reason}`, measurements };
      }
      hooks.warn(`Measurement ${round} of step ${plan.step} failed (${failures} of ${analysis.failureLimit} tolerated): ${measurement.reason}`);
      continue;
    }
    passes++;
  }

  if (passes === 0) {
    const last = measurements.at(-1);
    return { verdict: 'fail', reason: `No measurement at ${plan.weight}% succeeded, so the canary cannot be judged healthy: ${last?.reason ?? 'none was taken'}`, measurements };
  }
  return { verdict: 'pass', reason: `Step ${plan.step} at ${plan.weight}% passed ${passes} of ${countOf(measurements.length, 'measurement')}.`, measurements };
}

/** Describes a measurement in one log line: each value against its threshold, and the verdict. */
export function describeMeasurement(measurement: Measurement, round: number, rounds: number, minRequests: number): string {
  const requests = measurement.requests === undefined ? 'requests unknown' : `requests ${Math.round(measurement.requests)} (min ${minRequests})`;
  const metrics = measurement.metrics.map((metric) => {
    const sign = metric.direction === 'below' ? '≤' : '≥';
    const stable = metric.stableValue !== undefined ? ` [stable ${formatValue(metric.unit, metric.stableValue)}]` : '';
    return `${metric.name} ${formatValue(metric.unit, metric.value)} ${sign} ${formatValue(metric.unit, metric.threshold)}${stable} ${metric.verdict}`;
  });
  return `Step ${measurement.step} (${measurement.weight}%), measurement ${round}/${rounds}: ${[requests, ...metrics].join('; ')} → ${measurement.verdict}`;
}
