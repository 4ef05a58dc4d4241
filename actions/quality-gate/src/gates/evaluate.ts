import { countOf } from '@atom-actions/shared/plural';
import { formatDuration } from '@atom-actions/shared/duration';

import type { CoverageTotals } from '../coverage/combine.ts';
import { coveragePercent } from '../coverage/combine.ts';
import type { OrderOutcome } from '../order/compare.ts';
import type { UnreadableReport } from '../report/read-reports.ts';
import type { QualityGateSettings } from '../settings.ts';
import type { Finding } from '../static-analysis/model.ts';
import type { TestCounts } from '../tests/results.ts';
import { decide, formatNumber, type GateResult } from './gate.ts';

/** Everything the gates measure. */
export interface Measurements {
  unreadable: UnreadableReport[];
  counts: TestCounts;
  order: OrderOutcome | undefined;
  durationSeconds: number | undefined;
  durationSource: string;
  coverage: CoverageTotals | undefined;
  findings: Finding[] | undefined;
}

/** Evaluates every gate, in the order the summary shows them. */
export function evaluateGates(measurements: Measurements, settings: QualityGateSettings): GateResult[] {
  return [
    reportsGate(measurements.unreadable),
    passRateGate(measurements.counts, settings),
    flakyGate(measurements.counts, settings),
    orderGate(measurements.order, settings),
    durationGate(measurements, settings),
    coverageGate(measurements.coverage, settings),
    staticAnalysisGate(measurements.findings, settings),
  ];
}

/** Judges unreadable reports: one that matched but cannot be read may hide failures, so it always fails the step. */
function reportsGate(unreadable: readonly UnreadableReport[]): GateResult {
  const count = unreadable.length;
  return {
    id: 'reports',
    title: 'Readable reports',
    value: count,
    valueText: `${count} unreadable`,
    thresholdText: '0 unreadable',
    severity: 'fail',
    status: count > 0 ? 'fail' : 'pass',
    reason: count > 0 ? `${countOf(count, 'report file')} could not be read, so their results are unknown.` : 'Every matched report was read.',
  };
}

/** Pass rate over unique tests on their final attempt; no counted test is a breach, never 100%. */
export function passRateGate(counts: TestCounts, settings: Pick<QualityGateSettings, 'passRate'>): GateResult {
  const { threshold, severity } = settings.passRate;
  const counted = counts.passed + counts.failed + counts.errored;
  const rate = counted > 0 ? (counts.passed / counted) * 100 : undefined;
  const breached = rate === undefined || rate < threshold;
  const reason =
    rate === undefined
      ? `No test passed, failed or errored (${counts.skipped} skipped, ${counts.xfailed} expected failures), so there is no pass rate.`
      : `${counts.passed} of ${counted} counted tests passed on their final attempt; ${counts.skipped} skipped and ${counts.xfailed} expected failures are not counted.`;
  return {
    id: 'pass-rate',
    title: 'Pass rate',
    value: rate,
    valueText: rate === undefined ? 'no tests' : `${formatNumber(rate)}%`,
    thresholdText: `≥ ${formatNumber(threshold)}%`,
    severity,
    status: decide(severity, true, breached),
    reason,
  };
}

function flakyGate(counts: TestCounts, settings: QualityGateSettings): GateResult {
  const { max, severity } = settings.flaky;
  return {
    id: 'flaky',
    title: 'Flaky tests',
    value: counts.flaky,
    valueText: String(counts.flaky),
    thresholdText: `≤ ${max}`,
    severity,
    status: decide(severity, true, counts.flaky > max),
    reason: `${countOf(counts.flaky, 'test')} failed or errored and then passed on a rerun.`,
  };
}

function orderGate(order: OrderOutcome | undefined, settings: QualityGateSettings): GateResult {
  const severity = settings.order.severity;
  const base = { id: 'order', title: 'Order independence', thresholdText: '0 order-dependent', severity } as const;
  if (order === undefined) {
    if (settings.order.command.length === 0) return { ...base, value: undefined, valueText: 'not run', status: 'skip', reason: 'No test-command was given.' };
    return { ...base, value: undefined, valueText: 'no reports', status: decide(severity, true, true), reason: 'test-command ran but its reports could not be read; see the error above.' };
  }

  // A run that reported no tests (a usage error, a crash, nothing collected) proves nothing about order.
  const empty = order.runs.filter((run) => run.outcomes.size === 0);
  if (empty.length > 0 || order.compared === 0) {
    const runs = empty.map((run) => `seed ${run.seed ?? 'unknown'} exited with code ${run.exitCode}`).join(', ');
    const reason = empty.length > 0 ? `${empty.length} of ${order.runs.length} runs reported no tests (${runs}), so order was not checked.` : 'No test ran in every run, so order was not checked.';
    return { ...base, value: undefined, valueText: 'no tests compared', status: decide(severity, true, true), reason };
  }

  const count = order.dependent.length;
  return {
    ...base,
    value: count,
    valueText: `${count} order-dependent`,
    status: decide(severity, true, count > 0),
    reason: `${order.runs.length} runs with seeds ${order.runs.map((run) => run.seed ?? 'unknown').join(', ')} compared over ${order.compared} tests.`,
  };
}

function durationGate(measurements: Measurements, settings: QualityGateSettings): GateResult {
  const { maxMilliseconds, severity } = settings.duration;
  const seconds = measurements.durationSeconds;
  const measured = seconds !== undefined;
  return {
    id: 'duration',
    title: 'Suite duration',
    value: seconds,
    valueText: measured ? formatDuration(Math.round(seconds * 1000)) : 'unknown',
    thresholdText: `≤ ${formatDuration(maxMilliseconds)}`,
    severity,
    status: decide(severity, measured, measured && seconds * 1000 > maxMilliseconds),
    reason: measured ? `Measured ${measurements.durationSource}.` : 'No report states a time and no test-command ran.',
  };
}

function coverageGate(coverage: CoverageTotals | undefined, settings: QualityGateSettings): GateResult {
  const { threshold, metric, severity } = settings.coverage;
  const percent = coverage === undefined ? undefined : coveragePercent(coverage, metric);
  const covered = metric === 'line' ? coverage?.linesCovered : coverage?.branchesCovered;
  const total = metric === 'line' ? coverage?.linesTotal : coverage?.branchesTotal;
  return {
    id: 'coverage',
    title: `Coverage (${metric})`,
    value: percent,
    valueText: percent === undefined ? 'not measured' : `${formatNumber(percent)}%`,
    thresholdText: `≥ ${formatNumber(threshold)}%`,
    severity,
    status: decide(severity, percent !== undefined, percent !== undefined && percent < threshold),
    reason:
      percent === undefined
        ? coverage === undefined
          ? 'No coverage report was read.'
          : `The coverage reports have no ${metric} data.`
        : `${covered} of ${total} ${metric === 'line' ? 'lines' : 'branches'} covered in ${countOf(coverage?.files.length ?? 0, 'file')}.`,
  };
}

function staticAnalysisGate(findings: Finding[] | undefined, settings: QualityGateSettings): GateResult {
  const { maxErrors, maxWarnings, severity } = settings.staticAnalysis;
  const errors = findings?.filter((finding) => finding.level === 'error').length ?? 0;
  const warnings = findings?.filter((finding) => finding.level === 'warning').length ?? 0;
  const notes = findings?.filter((finding) => finding.level === 'note').length ?? 0;
  const breached = errors > maxErrors || (maxWarnings !== undefined && warnings > maxWarnings);
  return {
    id: 'static-analysis',
    title: 'Static analysis',
    value: findings === undefined ? undefined : errors,
    valueText: findings === undefined ? 'not measured' : `${countOf(errors, 'error')}, ${countOf(warnings, 'warning')}`,
    thresholdText: `≤ ${maxErrors} errors${maxWarnings === undefined ? '' : `, ≤ ${maxWarnings} warnings`}`,
    severity,
    status: decide(severity, findings !== undefined, breached),
    reason: findings === undefined ? 'No static-analysis report was read.' : `${countOf(errors, 'error')}, ${countOf(warnings, 'warning')} and ${countOf(notes, 'note')} found.`,
  };
}
