import { queryInstant } from '@atom-actions/shared/prometheus/client';
import type { QueryOutcome } from '@atom-actions/shared/prometheus/result';

import type { ChecklistLine, LineResult } from '../checklist.ts';
import type { MetricQuery, MetricsSettings } from '../metrics-settings.ts';
import type { VerifyLog } from '../verify-log.ts';

/**
 * Runs each metric query once and judges its value against the threshold.
 * No data never passes silently: it takes the result `on-no-data` names,
 * and the line shows the query. A failed query fails its line.
 */
export async function checkMetrics(settings: MetricsSettings, log: VerifyLog): Promise<ChecklistLine[]> {
  const connection = { url: settings.url, headers: settings.headers, log: (line: string) => log.info(`Prometheus: ${line}`) };
  const outcomes = await Promise.all(settings.queries.map((metric) => queryInstant(connection, metric.query)));

  return settings.queries.map((metric, index) => {
    const line = judgeMetric(metric, outcomes[index] as QueryOutcome, settings.onNoData);
    log.info(`Metrics: ${metric.name} ${line.value} against ${line.threshold}: ${line.result} (${line.detail})`);
    return line;
  });
}

const noDataResults: Record<MetricsSettings['onNoData'], LineResult> = { pass: 'pass', fail: 'fail', warn: 'warn' };

/** Turns one query outcome into a checklist line. */
export function judgeMetric(metric: MetricQuery, outcome: QueryOutcome, onNoData: MetricsSettings['onNoData']): ChecklistLine {
  // Thresholds are inclusive, as in canary-promote: a value equal to the maximum or minimum passes.
  const threshold = `${metric.direction === 'below' ? '≤' : '≥'} ${formatNumber(metric.threshold)}${metric.unit}`;
  const base = { item: 'metrics' as const, name: metric.name, threshold };

  if (outcome.kind === 'error') {
    return { ...base, result: 'fail', value: 'query failed', detail: `The query failed (${outcome.detail}): ${outcome.query}` };
  }

  if (outcome.kind === 'no-data') {
    const result: LineResult = noDataResults[onNoData];
    return { ...base, result, value: 'no data', detail: `No data (${outcome.detail}), so on-no-data: ${onNoData} decides. Query: ${outcome.query}` };
  }

  const value = outcome.value * metric.scale;
  const within = metric.direction === 'below' ? value <= metric.threshold : value >= metric.threshold;
  const shown = `${formatNumber(value)}${metric.unit}`;
  return {
    ...base,
    result: within ? 'pass' : 'fail',
    value: shown,
    detail: within ? `${shown} is within ${threshold}.` : `${shown} breaches ${threshold}.`,
  };
}

function formatNumber(value: number): string {
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 1) return String(Math.round(value * 100) / 100);
  return String(Math.round(value * 10_000) / 10_000);
}
