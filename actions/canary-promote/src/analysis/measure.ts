import type { PrometheusConnection } from '@atom-actions/shared/prometheus/client';
import { queryInstant } from '@atom-actions/shared/prometheus/client';
import type { QueryOutcome } from '@atom-actions/shared/prometheus/result';

import type { AnalysisSettings } from '../settings.ts';
import type { MetricDefinition } from '../settings/metrics.ts';
import { effectiveThreshold, judgeValue } from './judge.ts';
import type { Measurement, MetricResult, Verdict } from './model.ts';
import { fillTemplate, type TemplateValues } from './template.ts';

/** Prometheus connection, queries and versions of a measurement. */
export interface MeasureContext {
  prometheus: PrometheusConnection;
  analysis: AnalysisSettings;
  namespace: string;
  deployment: string;
  canaryVersion: string;
  stableVersion: string;
}

/**
 * Measures the canary once: the request count first, then every metric
 * (and its stable value when comparing to stable). The verdict is fail when
 * any metric breaches its threshold, else error when any query failed, else
 * no-data when a result was empty or NaN or the canary got fewer than
 * min-requests requests, else pass.
 */
export async function measureOnce(context: MeasureContext, step: number, weight: number): Promise<Measurement> {
  const canaryValues = templateValues(context, context.canaryVersion);
  const time = new Date().toISOString();

  const countQuery = fillTemplate('request count', context.analysis.requestCountQuery, canaryValues);
  const count = await queryInstant(context.prometheus, countQuery);
  const metrics = await Promise.all(context.analysis.metrics.map((metric) => measureMetric(context, metric, canaryValues)));

  const base = { step, weight, time, metrics, ...(count.kind === 'value' ? { requests: count.value } : {}) };
  const [verdict, reason] = measurementVerdict(context.analysis.minRequests, context.analysis.queryInterval, count, metrics);
  return { ...base, verdict, ...(reason ? { reason } : {}) };
}

async function measureMetric(context: MeasureContext, metric: MetricDefinition, values: TemplateValues): Promise<MetricResult> {
  const query = fillTemplate(metric.name, metric.query, values);
  const outcome = await queryInstant(context.prometheus, query);
  const base = { name: metric.name, unit: metric.unit, direction: metric.direction, query, threshold: metric.threshold };

  if (outcome.kind === 'error') return { ...base, verdict: 'error', detail: `query of ${metric.name} failed: ${outcome.detail}. Query: ${query}` };
  if (outcome.kind === 'no-data') return { ...base, verdict: 'no-data', detail: `query of ${metric.name} returned no data (${outcome.detail}). Query: ${query}` };

  const stableValue = context.analysis.compareToStable && metric.tolerance ? await measureStable(context, metric) : undefined;
  return judgeValue(metric, query, outcome.value, effectiveThreshold(metric, stableValue), stableValue);
}

/** Returns the stable version's value, or undefined (fixed threshold applies) when stable has none. */
async function measureStable(context: MeasureContext, metric: MetricDefinition): Promise<number | undefined> {
  const query = fillTemplate(metric.name, metric.query, templateValues(context, context.stableVersion));
  const outcome = await queryInstant(context.prometheus, query);
  return outcome.kind === 'value' ? outcome.value : undefined;
}

function measurementVerdict(minRequests: number, window: string, count: QueryOutcome, metrics: MetricResult[]): [Verdict, string | undefined] {
  const failed = metrics.find((metric) => metric.verdict === 'fail');
  if (failed) return ['fail', failed.detail];

  if (count.kind === 'error') return ['error', `request count query failed: ${count.detail}. Query: ${count.query}`];
  const errored = metrics.find((metric) => metric.verdict === 'error');
  if (errored) return ['error', errored.detail];

  const requests = count.kind === 'value' ? count.value : 0;
  if (requests < minRequests) {
    return ['no-data', `the canary received ${Math.round(requests)} requests in the last ${window}, fewer than min-requests ${minRequests}, so it cannot be judged. Query: ${count.query}`];
  }
  const empty = metrics.find((metric) => metric.verdict === 'no-data');
  if (empty) return ['no-data', empty.detail];
  return ['pass', undefined];
}

function templateValues(context: MeasureContext, version: string): TemplateValues {
  return { version, namespace: context.namespace, interval: context.analysis.queryInterval, deployment: context.deployment };
}
