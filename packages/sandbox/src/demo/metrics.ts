import { Counter, Histogram, Registry } from 'prom-client';

/** The Prometheus metrics of one demo service, in a registry of its own so two versions can share a process. */
export interface DemoMetrics {
  registry: Registry;
  requests: Counter<'status' | 'route' | 'method' | 'version'>;
  duration: Histogram<'status' | 'route' | 'method' | 'version'>;
}

/** Bucket bounds in seconds, from 5 ms to 5 s, as the canary judgement compares latencies in that span. */
export const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Creates `http_requests_total` and the `http_request_duration_seconds` histogram in a new registry. */
export function createDemoMetrics(): DemoMetrics {
  const registry = new Registry();
  const labelNames = ['status', 'route', 'method', 'version'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP responses sent, by status, route, method and version.', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, in seconds.',
    labelNames,
    buckets: durationBuckets,
    registers: [registry],
  });
  return { registry, requests, duration };
}
