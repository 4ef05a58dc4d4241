import { ConfigurationError, invalidInput, missingInput } from '@atom-actions/shared/errors';
import { InputReader, parseDurationInput } from '@atom-actions/shared/inputs';
import { readSmokeInputs } from '@atom-actions/shared/smoke/inputs';
import type { SmokeConfig } from '@atom-actions/shared/smoke/model';
import { asObject, describeType } from '@atom-actions/shared/structured';

import { parseCustomMetrics, type MetricDefinition } from './settings/metrics.ts';
import { thresholdProfiles } from './settings/thresholds.ts';

/** The job's command: the whole rollout, one step, promotion or abort. */
export type CanaryAction = 'run' | 'start' | 'advance' | 'promote' | 'abort';

/** Kind of object that splits traffic in canary mode. */
export type TrafficRouterKind = 'replicas' | 'nginx' | 'gateway-api' | 'smi';

/** Address and credentials of the Prometheus HTTP API. */
export interface PrometheusSettings {
  url: URL;
  /** Request headers, including `Authorization` when a token is set. Secret values. */
  headers: Record<string, string>;
}

/** The queries and thresholds that judge each measurement. */
export interface AnalysisSettings {
  /** Built-in metrics (error rate and P95 latency) followed by the custom ones. */
  metrics: MetricDefinition[];
  requestCountQuery: string;
  /** PromQL duration that fills `{{ interval }}`, such as `1m`. */
  queryInterval: string;
  intervalMs: number;
  minRequests: number;
  onNoData: 'fail' | 'inconclusive' | 'pass';
  failureLimit: number;
  consecutiveErrorLimit: number;
  compareToStable: boolean;
}

/** The atom-actions canary promote inputs, parsed and validated. */
export interface CanarySettings {
  deployment: string;
  namespace: string;
  action: CanaryAction;
  strategy: 'canary' | 'blue-green';
  canary: string;
  /** New image per container name; empty when the canary Deployment is given. */
  images: Map<string, string>;
  trafficRouter: TrafficRouterKind;
  service: string;
  canaryService: string;
  ingress: string;
  httpRoute: string;
  trafficSplit: string;
  versionLabel: string;
  canaryVersion: string;
  /** Canary weights in percent, increasing. */
  steps: number[];
  /** Observation time per step in milliseconds, one per step. */
  pausesMs: number[];
  /** Undefined only for promote and abort, which measure nothing. */
  prometheus: PrometheusSettings | undefined;
  environment: 'staging' | 'production';
  analysis: AnalysisSettings;
  progressDeadlineMs: number;
  onFailure: 'abort' | 'rollback';
  /** Blue-green: the smoke test green must pass before the switch, or undefined when `smoke-base-url` is empty. */
  smoke: SmokeConfig | undefined;
  pushgateway: { url: URL; job: string } | undefined;
  /** Secret: kubeconfig content, or '' to use KUBECONFIG or the in-cluster account. */
  kubeconfig: string;
  context: string;
}

/** Reads and validates every input of the action. Required and dependent inputs are checked in action.yml order. */
export async function readSettings(inputs: InputReader = new InputReader()): Promise<CanarySettings> {
  const deployment = inputs.string('deployment', { required: true });
  const namespace = inputs.string('namespace', { default: 'default' });
  const action = inputs.choice('action', ['run', 'start', 'advance', 'promote', 'abort'] as const, { default: 'run' });
  const strategy = inputs.choice('strategy', ['canary', 'blue-green'] as const, { default: 'canary' });
  const canary = inputs.string('canary', { default: `${deployment}-${strategy === 'blue-green' ? 'green' : 'canary'}` });
  const images = parseImages(inputs.list('images'));
  const trafficRouter = inputs.choice('traffic-router', ['replicas', 'nginx', 'gateway-api', 'smi'] as const, { default: 'replicas' });
  const service = inputs.string('service', { default: deployment });
  const steps = parseSteps(inputs.list('steps', { default: ['10', '50', '100'] }), inputs.raw('steps'));

  return {
    deployment,
    namespace,
    action,
    strategy,
    canary,
    images,
    trafficRouter,
    service,
    canaryService: inputs.string('canary-service', { default: `${service}-canary` }),
    ingress: inputs.string('ingress', { default: service }),
    httpRoute: inputs.string('http-route', { default: service }),
    trafficSplit: inputs.string('traffic-split', { default: service }),
    versionLabel: inputs.string('version-label', { default: 'version' }),
    canaryVersion: inputs.string('canary-version', { default: defaultCanaryVersion(images) }),
    steps,
    pausesMs: parsePauses(inputs.list('pause', { default: ['5m'] }), steps.length),
    prometheus: await readPrometheus(inputs, action),
    environment: inputs.choice('environment', ['staging', 'production'] as const, { default: 'production' }),
    analysis: await readAnalysis(inputs),
    progressDeadlineMs: inputs.duration('progress-deadline', { default: '10m' }, { min: 1000 }),
    onFailure: inputs.choice('on-failure', ['abort', 'rollback'] as const, { default: 'abort' }),
    smoke: await readSmoke(inputs, strategy),
    pushgateway: readPushgateway(inputs),
    kubeconfig: inputs.string('kubeconfig'),
    context: inputs.string('context'),
  };
}

async function readPrometheus(inputs: InputReader, action: CanaryAction): Promise<PrometheusSettings | undefined> {
  const url = inputs.optionalUrl('prometheus-url');
  if (!url) {
    if (action === 'promote' || action === 'abort') return undefined;
    throw missingInput('prometheus-url', `the Prometheus base URL, such as http://prometheus:9090, because action "${action}" measures the canary`);
  }

  const headers = await readHeaders(inputs);
  const token = inputs.string('prometheus-token');
  if (token) headers['authorization'] = `Bearer ${token}`;
  return { url, headers };
}

async function readHeaders(inputs: InputReader): Promise<Record<string, string>> {
  const value = await inputs.structured('prometheus-headers');
  if (value === undefined) return {};
  const object = asObject('prometheus-headers', 'the document', value);
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(object)) {
    if (typeof headerValue !== 'string' && typeof headerValue !== 'number') {
      throw new ConfigurationError(`Input "prometheus-headers": header "${name}" must be a string, but is ${describeType(headerValue)}.`);
    }
    headers[name.toLowerCase()] = String(headerValue);
  }
  return headers;
}

async function readAnalysis(inputs: InputReader): Promise<AnalysisSettings> {
  const environment = inputs.choice('environment', ['staging', 'production'] as const, { default: 'production' });
  const profile = thresholdProfiles[environment];
  const maxErrorRate = inputs.percentage('max-error-rate', { default: profile.maxErrorRatePercent });
  const maxLatencyMs = inputs.duration('max-latency', { default: `${profile.maxLatencyMs}ms` }, { min: 1, requireUnit: true });
  const compareToStable = inputs.boolean('compare-to-stable', { default: false });
  const errorRateTolerance = inputs.percentage('error-rate-tolerance', { default: 0.5 });
  const latencyTolerance = inputs.percentage('latency-tolerance', { default: 20 });

  const builtIn: MetricDefinition[] = [
    {
      name: 'error-rate',
      query: inputs.string('error-rate-query', { required: true }),
      threshold: maxErrorRate / 100,
      direction: 'below',
      unit: 'percent',
      tolerance: { kind: 'points', value: errorRateTolerance / 100 },
    },
    {
      name: 'p95-latency',
      query: inputs.string('latency-query', { required: true }),
      threshold: maxLatencyMs / 1000,
      direction: 'below',
      unit: 'seconds',
      tolerance: { kind: 'relative', value: latencyTolerance / 100 },
    },
  ];
  const requestCountQuery = inputs.string('request-count-query', { required: true });
  const custom = parseCustomMetrics('metrics', await inputs.structured('metrics'));
  rejectDuplicateNames([...builtIn, ...custom]);

  return {
    metrics: [...builtIn, ...custom],
    requestCountQuery,
    queryInterval: promqlDuration(inputs.duration('query-interval', { default: '1m' }, { min: 1000 })),
    intervalMs: inputs.duration('interval', { default: '1m' }, { min: 100 }),
    minRequests: inputs.integer('min-requests', { default: 10 }, { min: 0 }),
    onNoData: inputs.choice('on-no-data', ['fail', 'inconclusive', 'pass'] as const, { default: 'inconclusive' }),
    failureLimit: inputs.integer('failure-limit', { default: 0 }, { min: 0 }),
    consecutiveErrorLimit: inputs.integer('consecutive-error-limit', { default: 3 }, { min: 1 }),
    compareToStable,
  };
}

async function readSmoke(inputs: InputReader, strategy: CanarySettings['strategy']): Promise<SmokeConfig | undefined> {
  if (inputs.raw('smoke-base-url') === '') return undefined;
  if (strategy !== 'blue-green') {
    throw new ConfigurationError(`Input "smoke-base-url" is set, but the smoke test runs only with strategy blue-green, before the switch to green. Remove the smoke-* inputs or set strategy: blue-green.`);
  }
  return readSmokeInputs(inputs, { prefix: 'smoke-' });
}

function readPushgateway(inputs: InputReader): CanarySettings['pushgateway'] {
  const url = inputs.optionalUrl('pushgateway-url');
  const job = inputs.string('pushgateway-job', { default: 'canary-promote' });
  return url ? { url, job } : undefined;
}

/** Parses `container=image` pairs, keeping their order. */
export function parseImages(items: string[]): Map<string, string> {
  const images = new Map<string, string>();
  for (const item of items) {
    const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\s*=\s*(\S+)$/.exec(item);
    if (!match) throw invalidInput('images', item, 'container=image pairs such as web=registry.example.com/web:1.2.3');
    images.set(match[1]!, match[3]!);
  }
  return images;
}

/** Parses the steps: whole percentages from 1 to 100, strictly increasing. */
export function parseSteps(items: string[], raw: string): number[] {
  const expected = 'increasing whole percentages from 1 to 100, such as 10,50,100';
  const steps = items.map((item) => Number(item.replace(/%$/, '')));
  const valid = steps.length > 0 && steps.every((step, index) => Number.isInteger(step) && step >= 1 && step <= 100 && (index === 0 || step > steps[index - 1]!));
  if (!valid) throw invalidInput('steps', raw, expected);
  return steps;
}

/** Expands the pause input to one duration per step. */
export function parsePauses(items: string[], stepCount: number): number[] {
  const pauses = items.map((item) => parseDurationInput('pause', item));
  if (pauses.length === 1) return Array.from({ length: stepCount }, () => pauses[0]!);
  if (pauses.length !== stepCount) {
    throw invalidInput('pause', items.join(','), `one duration, or one per step (${stepCount} for the steps given)`);
  }
  return pauses;
}

function defaultCanaryVersion(images: Map<string, string>): string {
  const first = [...images.values()][0];
  if (!first) return '';
  const tag = /:([\w][\w.-]{0,127})$/.exec(first.split('@')[0] ?? '')?.[1];
  return tag ?? 'canary';
}

function rejectDuplicateNames(metrics: MetricDefinition[]): void {
  const seen = new Set<string>();
  for (const metric of metrics) {
    if (seen.has(metric.name)) throw new ConfigurationError(`Input "metrics": the metric name "${metric.name}" is used twice; names must be unique, and error-rate and p95-latency are built in.`);
    seen.add(metric.name);
  }
}

/** Formats milliseconds as a PromQL duration: whole seconds as `30s`, otherwise `1500ms`. */
function promqlDuration(milliseconds: number): string {
  return milliseconds % 1000 === 0 ? `${milliseconds / 1000}s` : `${milliseconds}ms`;
}

