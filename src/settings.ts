import { ConfigurationError } from '@atom-actions/shared/errors';
import { InputReader, type InputGetter } from '@atom-actions/shared/inputs';
import { hasChannel, notifySecrets, readNotifyInputs, type NotifySettings } from '@atom-actions/shared/notify/settings';
import { registerSecret } from '@atom-actions/shared/secrets';
import { readSmokeInputs } from '@atom-actions/shared/smoke/inputs';
import type { SmokeConfig } from '@atom-actions/shared/smoke/model';

import { readMetricsSettings, type MetricsSettings } from './metrics-settings.ts';
import { environmentThresholds, type Environment } from './thresholds.ts';

/** The action taken when the checklist fails. */
export type OnFailure = 'none' | 'rollback' | 'rollback-and-notify';

/** The cluster and the Deployment that was deployed. */
export interface ClusterSettings {
  kubeconfig: string;
  context: string;
  namespace: string;
  deployment: string;
}

/** The pods and logs items: how far back to look and what is allowed. */
export interface WorkloadSettings {
  /** How far back restarts and log lines count, in milliseconds. */
  windowMs: number;
  maxRestarts: number;
  logPatterns: RegExp[];
  maxLogMatches: number;
}

/** The verify inputs, parsed and validated. */
export interface VerifySettings {
  baseUrl: URL;
  environment: Environment;
  /** Health endpoints, run through the smoke-test library; undefined when `health-checks` is false. */
  health?: SmokeConfig;
  /** The user's smoke test; undefined when neither `smoke-preset` nor `smoke-checks` is set. */
  smoke?: SmokeConfig;
  metrics?: MetricsSettings;
  cluster?: ClusterSettings;
  workload: WorkloadSettings;
  onFailure: OnFailure;
  rollback: { toRevision?: number; timeoutMs: number; reason: string };
  /** Channels for the notice after a rollback; set when `on-failure` is rollback-and-notify. */
  notify?: NotifySettings;
  failOnError: boolean;
  reportPath: string;
}

/** Reads and validates every input of the verify action. */
export async function readSettings(inputs: InputReader = new InputReader()): Promise<VerifySettings> {
  const baseUrl = inputs.url('base-url', { required: true });
  const environment = inputs.choice<Environment>('environment', ['staging', 'production'], { required: true });
  const smokeInputs = new InputReader(smokeGetter(inputs));

  const health = inputs.boolean('health-checks', { default: true }) ? await readHealthConfig(inputs) : undefined;
  const smoke = inputs.raw('smoke-preset') !== '' || inputs.raw('smoke-checks') !== '' ? await readSmokeInputs(smokeInputs, { prefix: 'smoke-' }) : undefined;
  const metrics = await readMetricsSettings(inputs, environmentThresholds[environment]);
  const cluster = readClusterSettings(inputs);
  const workload = readWorkloadSettings(inputs);

  const onFailure = inputs.choice<OnFailure>('on-failure', ['none', 'rollback', 'rollback-and-notify'], { default: 'none' });
  if (onFailure !== 'none' && !cluster) {
    throw new ConfigurationError(`Input "on-failure" is ${onFailure}, which needs input "deployment": the Deployment to roll back.`);
  }
  const rollback = {
    ...(inputs.raw('rollback-to-revision') !== '' ? { toRevision: inputs.integer('rollback-to-revision', { required: true }, { min: 1 }) } : {}),
    timeoutMs: inputs.duration('rollback-timeout', { default: '5m' }, { min: 1000 }),
    reason: inputs.string('rollback-reason', { default: 'post-deployment verification failed' }),
  };
  const notify = onFailure === 'rollback-and-notify' ? readNotifySettings(inputs) : undefined;

  return {
    baseUrl,
    environment,
    ...(health ? { health } : {}),
    ...(smoke ? { smoke } : {}),
    ...(metrics ? { metrics } : {}),
    ...(cluster ? { cluster } : {}),
    workload,
    onFailure,
    rollback,
    ...(notify ? { notify } : {}),
    failOnError: inputs.boolean('fail-on-error', { default: true }),
    reportPath: inputs.string('report-path', { default: '' }),
  };
}

/**
 * Gives the smoke-test library this action's `base-url` and `environment`
 * under the prefixed names it reads, so the user sets them once.
 */
function smokeGetter(inputs: InputReader): InputGetter {
  const shared: Record<string, string> = { 'smoke-base-url': 'base-url', 'smoke-environment': 'environment' };
  return (name) => inputs.raw(shared[name] ?? name);
}

/**
 * Reads the `notify-*` inputs through the notify library. The notice's
 * environment and reason are this action's `environment` and `rollback-reason`.
 */
function readNotifySettings(inputs: InputReader): NotifySettings {
  const shared: Record<string, string> = { 'notify-environment': 'environment', 'notify-reason': 'rollback-reason' };
  const notifyInputs = new InputReader((name) => inputs.raw(shared[name] ?? name));
  const settings = readNotifyInputs(notifyInputs, { prefix: 'notify-' });
  for (const secret of notifySecrets(settings)) registerSecret(secret);

  if (!hasChannel(settings)) {
    throw new ConfigurationError('Input "on-failure" is rollback-and-notify, but no notify channel is set: set notify-slack-webhook-url, notify-github-token or another notify-* channel input.');
  }
  return settings;
}

/** Builds the health item's config: the preset's three health checks with the smoke inputs' timeouts, retries and TLS. */
async function readHealthConfig(inputs: InputReader): Promise<SmokeConfig> {
  const getter = smokeGetter(inputs);
  const healthInputs = new InputReader((name) => {
    if (name === 'smoke-preset') return '';
    if (name === 'smoke-checks') return JSON.stringify(healthChecks);
    if (name === 'smoke-username' || name === 'smoke-password') return '';
    return getter(name);
  });
  return readSmokeInputs(healthInputs, { prefix: 'smoke-' });
}

const healthChecks = [
  { name: 'health live', path: '/health/live', expect: { status: 200, json: { '$.status': 'healthy' } } },
  { name: 'health ready', path: '/health/ready', expect: { status: 200, json: { '$.status': 'ready' } } },
  { name: 'health db', path: '/health/db', expect: { status: 200, json: { '$.status': 'healthy' } } },
];

function readClusterSettings(inputs: InputReader): ClusterSettings | undefined {
  const deployment = inputs.string('deployment');
  if (deployment === '') return undefined;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(deployment)) {
    throw new ConfigurationError(`Input "deployment" has an invalid value ${JSON.stringify(deployment)}: expected a Kubernetes object name such as atom-api.`);
  }
  return {
    deployment,
    namespace: inputs.string('namespace', { default: 'default' }),
    kubeconfig: inputs.string('kubeconfig'),
    context: inputs.string('context'),
  };
}

function readWorkloadSettings(inputs: InputReader): WorkloadSettings {
  const patterns = inputs.list('log-patterns', { default: ['error|exception|failed'] });
  const logPatterns = patterns.map((pattern) => {
    try {
      return new RegExp(pattern, 'i');
    } catch (error) {
      throw new ConfigurationError(`Input "log-patterns" has an invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}.`);
    }
  });
  return {
    windowMs: inputs.duration('window', { default: '10m' }, { min: 1000 }),
    maxRestarts: inputs.integer('max-restarts', { default: 0 }, { min: 0 }),
    logPatterns,
    maxLogMatches: inputs.integer('max-log-matches', { default: 0 }, { min: 0 }),
  };
}
