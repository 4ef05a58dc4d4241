import type { SmokeReport } from '@atom-actions/shared/smoke/model';
import { renderSmokeSummary } from '@atom-actions/shared/smoke/summary';
import { mermaidLineChart, markdownTable, statusIcon, statusLabel, type Status } from '@atom-actions/shared/summary';

import { formatValue } from '../analysis/format.ts';
import type { Measurement, Verdict } from '../analysis/model.ts';
import type { RolloutResult } from '../context.ts';
import type { CanarySettings } from '../settings.ts';

const verdictStatus: Record<Verdict, Status> = { pass: 'pass', fail: 'fail', 'no-data': 'warn', error: 'warn' };
const decisionStatus: Record<RolloutResult['decision'], Status> = { promoted: 'pass', aborted: 'fail', inconclusive: 'warn', paused: 'info' };

/**
 * Builds the job summary: the decision and its reason, one table per step
 * (each measurement's request count and metric values against their
 * thresholds), Mermaid charts of error rate and P95 latency over the run,
 * and the smoke test of green when one ran.
 */
export function buildSummary(settings: CanarySettings, result: RolloutResult, measurements: readonly Measurement[], smokeReport?: SmokeReport): string {
  const title = settings.strategy === 'blue-green' ? 'Blue-green switch' : 'Canary';
  // An abort the workflow asked for is not a failure: the step succeeds and the summary reports it.
  const status = settings.action === 'abort' ? 'info' : decisionStatus[result.decision];
  const parts = [
    `## ${title} of \`${settings.namespace}/${settings.deployment}\`: ${statusIcon(status)} ${result.decision}`,
    `${result.reason}\n\nWeight at the end: **${result.weight}%**. Thresholds: ${describeThresholds(settings)}.`,
  ];

  const steps = [...new Set(measurements.map((measurement) => measurement.step))];
  for (const step of steps) {
    const rows = measurements.filter((measurement) => measurement.step === step);
    parts.push(`### Step ${step}: ${rows[0]?.weight ?? 0}% of traffic`, stepTable(rows, settings.analysis.minRequests));
  }
  if (measurements.length > 0) parts.push(...charts(measurements));
  if (smokeReport) parts.push(renderSmokeSummary(smokeReport).trimEnd());
  return `${parts.join('\n\n')}\n`;
}

function stepTable(rows: readonly Measurement[], minRequests: number): string {
  const names = rows[0]?.metrics.map((metric) => metric.name) ?? [];
  const headers = ['time (UTC)', `requests (min ${minRequests})`, ...names, 'verdict'];
  const body = rows.map((row) => [
    row.time.slice(11, 19),
    row.requests === undefined ? '–' : String(Math.round(row.requests)),
    ...row.metrics.map((metric) => `${formatValue(metric.unit, metric.value)} ${metric.direction === 'below' ? '≤' : '≥'} ${formatValue(metric.unit, metric.threshold)}`),
    `${statusLabel(verdictStatus[row.verdict])}${row.verdict === 'pass' || row.verdict === 'fail' ? '' : ` (${row.verdict})`}${row.reason ? `: ${row.reason}` : ''}`,
  ]);
  return markdownTable(headers, body);
}

function charts(measurements: readonly Measurement[]): string[] {
  const labels = measurements.map((measurement, index) => `${measurement.weight}% #${index + 1}`);
  const valuesOf = (name: string, scale: number): (number | null)[] =>
    measurements.map((measurement) => {
      const value = measurement.metrics.find((metric) => metric.name === name)?.value;
      return value === undefined || !Number.isFinite(value) ? null : value * scale;
    });

  return [
    '### Error rate and P95 latency over the run',
    mermaidLineChart('Canary error rate', labels, 'error rate (%)', [{ name: 'error rate (%)', values: valuesOf('error-rate', 100) }]),
    mermaidLineChart('Canary P95 latency', labels, 'P95 latency (ms)', [{ name: 'P95 latency (ms)', values: valuesOf('p95-latency', 1000) }]),
  ];
}

function describeThresholds(settings: CanarySettings): string {
  const fixed = settings.analysis.metrics.map((metric) => `${metric.name} ${metric.direction === 'below' ? '≤' : '≥'} ${formatValue(metric.unit, metric.threshold)}`).join(', ');
  const mode = settings.analysis.compareToStable ? ' (compared to stable plus tolerance where stable has data)' : '';
  return `${fixed}${mode}, environment ${settings.environment}`;
}
