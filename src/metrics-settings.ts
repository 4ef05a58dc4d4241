import { ConfigurationError } from '@atom-actions/shared/errors';
import type { InputReader } from '@atom-actions/shared/inputs';
import { registerSecret } from '@atom-actions/shared/secrets';
import { asObject } from '@atom-actions/shared/structured';

import type { Thresholds } from './thresholds.ts';

/** The result a metric line takes when its query returns no data. */
export type OnNoData = 'fail' | 'warn' | 'pass';

/** One Prometheus query of the metrics item, with its threshold. */
export interface MetricQuery {
  name: string;
  query: string;
  threshold: number;
  /** `below`: the value must stay under the threshold; `above`: over it. */
  direction: 'below' | 'above';
  /** Multiplies the query's result into the unit of the threshold (1000 for seconds to ms, 100 for a ratio to percent). */
  scale: number;
  unit: string;
}

/** The metrics item: where Prometheus is and what to ask it. */
export interface MetricsSettings {
  url: URL;
  headers: Record<string, string>;
  queries: MetricQuery[];
  onNoData: OnNoData;
}

/** The built-in queries. `{{ selector }}` and `{{ window }}` are filled from inputs. */
export const defaultQueries = {
  // `or vector(0)`: with no 5xx series the ratio is 0, not empty; with no traffic at all it stays empty.
  errorRate: '(sum(rate(http_requests_total{status=~"5..",{{ selector }}}[{{ window }}])) or vector(0)) / sum(rate(http_requests_total{ {{ selector }} }[{{ window }}]))',
  p95: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{ {{ selector }} }[{{ window }}])))',
  // canary-promote keeps cumulative deployment_total{status} counters in the Pushgateway: promoted over all decisions.
  successRate: '(sum(deployment_total{status="promoted",{{ deployment_selector }}}) or vector(0)) / sum(deployment_total{ {{ deployment_selector }} })',
};

/**
 * Reads the metrics inputs; returns undefined when `prometheus-url` is empty.
 * Thresholds default to the environment's and each can be overridden.
 */
export async function readMetricsSettings(inputs: InputReader, defaults: Thresholds): Promise<MetricsSettings | undefined> {
  const url = inputs.optionalUrl('prometheus-url');
  if (!url) return undefined;

  const headers = await readHeaders(inputs, 'prometheus-headers');
  const token = inputs.string('prometheus-token');
  if (token !== '') {
    registerSecret(token);
    headers['Authorization'] = `Bearer ${token}`;
  }

  const window = inputs.string('metrics-window', { default: '5m' });
  if (!/^\d+(ms|s|m|h|d|w|y)$/.test(window)) {
    throw new ConfigurationError(`Input "metrics-window" has an invalid value ${JSON.stringify(window)}: expected a PromQL range such as 30s, 5m or 1h.`);
  }
  const fill = (template: string): string =>
    template
      .replaceAll('{{ selector }}', inputs.string('metrics-selector'))
      .replaceAll('{{ deployment_selector }}', inputs.string('deployment-selector'))
      .replaceAll('{{ window }}', window);

  const queries: MetricQuery[] = [
    {
      name: 'error rate',
      query: fill(inputs.string('error-rate-query', { default: defaultQueries.errorRate })),
      threshold: inputs.percentage('max-error-rate', { default: defaults.maxErrorRatePercent }),
      direction: 'below',
      scale: 100,
      unit: '%',
    },
    {
      name: 'P95 latency',
      query: fill(inputs.string('p95-query', { default: defaultQueries.p95 })),
      threshold: inputs.duration('max-p95-latency', { default: `${defaults.maxP95Ms}ms` }, { min: 1, requireUnit: true }),
      direction: 'below',
      scale: 1000,
      unit: ' ms',
    },
    {
      name: 'deployment success rate',
      query: fill(inputs.string('success-rate-query', { default: defaultQueries.successRate })),
      threshold: inputs.percentage('min-success-rate', { default: defaults.minSuccessRatePercent }),
      direction: 'above',
      scale: 100,
      unit: '%',
    },
  ];

  return {
    url,
    headers,
    queries,
    onNoData: inputs.choice<OnNoData>('on-no-data', ['fail', 'warn', 'pass'], { default: 'warn' }),
  };
}

/** Parses a YAML mapping of header names to values, such as the `prometheus-headers` input. */
async function readHeaders(inputs: InputReader, name: string): Promise<Record<string, string>> {
  const value = await inputs.structured(name);
  if (value === undefined || value === null) return {};
  const object = asObject(name, 'the document', value);
  const headers = Object.fromEntries(Object.entries(object).map(([header, headerValue]) => [header, String(headerValue)]));
  for (const [header, headerValue] of Object.entries(headers)) {
    if (/^(authorization|x-scope-orgid|x-api-key)$/i.test(header)) registerSecret(headerValue);
  }
  return headers;
}
