import { ConfigurationError } from '../errors.ts';
import type { InputReader } from '../inputs.ts';
import { severities, type Severity } from './events.ts';
import { checkServiceUrl, parseSecretUrl, type AnyHostPermission, type HostedService } from './hosts.ts';
import { validateIncidentKey } from './incident-key.ts';
import type { MessageInputs } from './message.ts';
import { validateTemplate } from './templates.ts';

/** PagerDuty `event_action` choice; `auto` derives it from the event. */
export type PagerDutyAction = 'auto' | 'trigger' | 'acknowledge' | 'resolve';

/** Slack Web API target: a bot token and channel IDs. */
export interface SlackApiSettings {
  token: string;
  channel: string;
  /** Channel for P0 notices and emergency rollbacks; '' when not set. */
  criticalChannel: string;
  apiUrl: URL;
}

/** GitHub repository and credentials for incident issues. */
export interface GitHubSettings {
  token: string;
  apiUrl: URL;
  /** `owner/name` of the repository that receives the issues. */
  repository: string;
  /** Labels added to every issue, besides the runbook labels. */
  labels: string[];
}

/** Every channel and delivery rule of a notice, parsed and validated. */
export interface NotifySettings {
  message: MessageInputs;
  slackWebhook: { url: URL } | undefined;
  slackApi: SlackApiSettings | undefined;
  github: GitHubSettings | undefined;
  pagerduty: { routingKey: string; url: URL; action: PagerDutyAction } | undefined;
  teams: { url: URL } | undefined;
  webhook: { url: URL; secret: string } | undefined;
  delivery: DeliverySettings;
}

/** Retry limits, host policy and the step's reaction to a failed channel. */
export interface DeliverySettings {
  /** Fail the step when any channel fails. */
  failOnError: boolean;
  allowAnyHost: boolean;
  /** Retries after the first attempt, on 429, 5xx and connection failures. */
  retries: number;
  /** Limit of one attempt, in milliseconds. */
  timeoutMs: number;
}

/** Options of readNotifyInputs. */
export interface ReadOptions {
  /** Prefix of every input name, such as `notify-` when another action embeds these inputs. */
  prefix?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads every notification input except `event`: message fields, templates,
 * channels and delivery rules. Secret inputs (tokens, webhook URLs, the
 * routing key, the webhook secret) are never quoted in errors. The caller
 * must mask them before logging anything, see registerNotifySecrets.
 */
export function readNotifyInputs(inputs: InputReader, options: ReadOptions = {}): NotifySettings {
  const prefix = options.prefix ?? '';
  const env = options.env ?? process.env;
  const name = (input: string): string => `${prefix}${input}`;

  const message = readMessageInputs(inputs, name);
  const delivery: DeliverySettings = {
    failOnError: inputs.boolean(name('fail-on-error'), { default: true }),
    allowAnyHost: inputs.boolean(name('allow-any-host'), { default: false }),
    retries: inputs.integer(name('retries'), { default: 3 }, { min: 0, max: 10 }),
    timeoutMs: inputs.duration(name('timeout'), { default: '10s' }, { min: 100, max: 300_000 }),
  };

  const anyHost: AnyHostPermission = { allowed: delivery.allowAnyHost, input: name('allow-any-host') };
  return {
    message,
    slackWebhook: readServiceUrl(inputs, name('slack-webhook-url'), 'slack-webhook', anyHost),
    slackApi: readSlackApi(inputs, name, anyHost),
    github: readGitHub(inputs, name, env),
    pagerduty: readPagerDuty(inputs, name, anyHost),
    teams: readServiceUrl(inputs, name('teams-webhook-url'), 'teams', anyHost),
    webhook: readWebhook(inputs, name),
    delivery,
  };
}

function readMessageInputs(inputs: InputReader, name: (input: string) => string): MessageInputs {
  const severity = inputs.raw(name('severity')) === '' ? undefined : inputs.choice<Severity>(name('severity'), severities, { default: 'P1' });
  const titleTemplate = inputs.string(name('title'));
  const textTemplate = inputs.string(name('text'));
  validateTemplate(name('title'), titleTemplate);
  validateTemplate(name('text'), textTemplate);

  const incidentKey = inputs.string(name('incident-key'));
  if (incidentKey) validateIncidentKey(name('incident-key'), incidentKey);

  return {
    environment: inputs.string(name('environment')),
    version: inputs.string(name('version')),
    revision: inputs.string(name('revision')),
    reason: inputs.string(name('reason')),
    severity,
    details: inputs.string(name('details')),
    titleTemplate,
    textTemplate,
    incidentKey,
  };
}

function readServiceUrl(inputs: InputReader, input: string, service: HostedService, anyHost: AnyHostPermission): { url: URL } | undefined {
  const value = inputs.raw(input);
  if (value === '') return undefined;
  const url = parseSecretUrl(input, value);
  checkServiceUrl(input, url, service, anyHost);
  return { url };
}

function readSlackApi(inputs: InputReader, name: (input: string) => string, anyHost: AnyHostPermission): SlackApiSettings | undefined {
  const token = inputs.raw(name('slack-token'));
  const channel = inputs.string(name('slack-channel'));
  const criticalChannel = inputs.string(name('slack-critical-channel'));
  const apiUrl = inputs.url(name('slack-api-url'), { default: new URL('https://slack.com/api') });

  if (token === '') {
    if (channel || criticalChannel) {
      throw new ConfigurationError(`Input "${name('slack-token')}" is required when "${name('slack-channel')}" or "${name('slack-critical-channel')}" is set.`);
    }
    return undefined;
  }
  if (channel === '' && criticalChannel === '') {
    throw new ConfigurationError(`Input "${name('slack-channel')}" is required when "${name('slack-token')}" is set: expected a channel ID such as C0123456789.`);
  }
  checkServiceUrl(name('slack-api-url'), apiUrl, 'slack-api', anyHost);
  return { token, channel, criticalChannel, apiUrl };
}

function readGitHub(inputs: InputReader, name: (input: string) => string, env: NodeJS.ProcessEnv): GitHubSettings | undefined {
  const token = inputs.raw(name('github-token'));
  const apiUrl = inputs.url(name('github-api-url'), { default: new URL(env['GITHUB_API_URL'] || 'https://api.github.com') });
  const repository = inputs.string(name('github-repository'), { default: env['GITHUB_REPOSITORY'] ?? '' });
  const labels = inputs.list(name('github-labels'));
  if (token === '') return undefined;

  if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new ConfigurationError(
      `Input "${name('github-repository')}" has an invalid value ${JSON.stringify(repository)}: expected owner/name (GITHUB_REPOSITORY is used when it is empty).`,
    );
  }
  return { token, apiUrl, repository, labels };
}

function readPagerDuty(inputs: InputReader, name: (input: string) => string, anyHost: AnyHostPermission): NotifySettings['pagerduty'] {
  const routingKey = inputs.raw(name('pagerduty-routing-key'));
  const url = inputs.url(name('pagerduty-url'), { default: new URL('https://events.pagerduty.com/v2/enqueue') });
  const action = inputs.choice<PagerDutyAction>(name('pagerduty-action'), ['auto', 'trigger', 'acknowledge', 'resolve'], { default: 'auto' });
  if (routingKey === '') return undefined;

  checkServiceUrl(name('pagerduty-url'), url, 'pagerduty', anyHost);
  return { routingKey, url, action };
}

function readWebhook(inputs: InputReader, name: (input: string) => string): NotifySettings['webhook'] {
  const value = inputs.raw(name('webhook-url'));
  const secret = inputs.raw(name('webhook-secret'));
  if (value === '') {
    if (secret) throw new ConfigurationError(`Input "${name('webhook-url')}" is required when "${name('webhook-secret')}" is set.`);
    return undefined;
  }
  return { url: parseSecretUrl(name('webhook-url'), value), secret };
}

/** Lists the secret values of the settings: tokens, webhook URLs, the routing key and the webhook secret. */
export function notifySecrets(settings: NotifySettings): string[] {
  const urls = [settings.slackWebhook?.url, settings.teams?.url, settings.webhook?.url].filter((url): url is URL => !!url);
  return [
    ...urls.flatMap((url) => secretUrlParts(url)),
    settings.slackApi?.token,
    settings.github?.token,
    settings.pagerduty?.routingKey,
    settings.webhook?.secret,
  ].filter((value): value is string => !!value);
}

/** Returns the whole URL and its path with query, because a webhook's token sits in the path. */
function secretUrlParts(url: URL): string[] {
  const pathAndQuery = `${url.pathname}${url.search}`;
  return pathAndQuery.length > 1 ? [url.href, pathAndQuery] : [url.href];
}

/** Returns whether at least one channel is configured. */
export function hasChannel(settings: NotifySettings): boolean {
  return !!(settings.slackWebhook || settings.slackApi || settings.github || settings.pagerduty || settings.teams || settings.webhook);
}
