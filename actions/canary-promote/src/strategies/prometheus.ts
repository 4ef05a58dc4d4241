import type { PrometheusConnection } from '@atom-actions/shared/prometheus/client';

import type { RolloutContext } from '../context.ts';

/** Builds the Prometheus connection of a job that measures; settings guarantee the URL for those. */
export function prometheusConnection(context: RolloutContext): PrometheusConnection {
  const prometheus = context.settings.prometheus;
  if (!prometheus) throw new Error('prometheus-url is required for a job that measures the canary.');
  return { url: prometheus.url, headers: prometheus.headers, signal: context.signal, log: context.warn };
}
