import { FaultState, type Fault } from './faults.ts';
import { createGitHubHandler } from './github.ts';
import { loadGitHubRoutes } from './github-openapi.ts';
import { GitHubStore } from './github-store.ts';
import { startReceiverServer, type Handler, type ReceiverServer, type RecordedRequest } from './http.ts';
import { createPagerDutyHandler, type PagerDutyIncident } from './pagerduty.ts';
import { createSlackApiHandler, SlackChannels } from './slack-api.ts';
import { createSlackWebhookHandler } from './slack-webhook.ts';
import { createTeamsHandler } from './teams.ts';
import { createWebhookHandler } from './webhook.ts';

/** The services the receivers stand in for. */
export const serviceNames = ['github', 'slack', 'slackApi', 'pagerduty', 'teams', 'webhook'] as const;

/** One receiver's service. */
export type ServiceName = (typeof serviceNames)[number];

/** Options of startReceivers. */
export interface ReceiverOptions {
  /** Faults pending from the start, per service. */
  faults?: Partial<Record<ServiceName, Fault>>;
  /** First port; services take consecutive ports in the order of serviceNames. Default: a free port each. */
  portBase?: number;
  /** Token the GitHub receiver requires; any token when unset. */
  githubToken?: string;
  /** Bot token the Slack Web API receiver requires; any token when unset. */
  slackToken?: string;
  /** Secret whose signature the webhook receiver requires; none when unset. */
  webhookSecret?: string;
  /** Called for every recorded request. */
  onRecord?: (service: ServiceName, record: RecordedRequest) => void;
}

/** Running receivers: their URLs, what they received, their state and their controls. */
export interface Receivers {
  /** Base URL per service. Slack's and Teams' include a token-like path, as real webhook URLs do. */
  urls: Record<ServiceName, string>;
  received: Record<ServiceName, RecordedRequest[]>;
  state: { github: GitHubStore; slackApi: SlackChannels; pagerduty: Map<string, PagerDutyIncident>; webhookDeliveries: Set<string> };
  /** Injects a fault into the next responses of a service. Undefined clears it. */
  setFault(service: ServiceName, fault: Fault | undefined): void;
  stop(): Promise<void>;
}

/** Error bodies of the `error-body` fault, as each service words them. */
const errorBodies: Record<ServiceName, string> = {
  github: '{"message":"Server Error"}',
  slack: 'invalid_token',
  slackApi: '{"ok":false,"error":"internal_error"}',
  pagerduty: '{"status":"error","message":"Internal error"}',
  teams: 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 500 with ContextId tcid=0.',
  webhook: '{"error":"internal error"}',
};

/** Paths appended to the base URLs, shaped like the real services' URLs. */
const urlPaths: Record<ServiceName, string> = {
  github: '',
  slack: '/services/T0ATOM/B0ATOM/receiver0token0000000000',
  slackApi: '/api',
  pagerduty: '/v2/enqueue',
  teams: '/webhookb2/atom-receiver/IncomingWebhook/0000/receiver',
  webhook: '/hooks/atom',
};

/**
 * Starts one loopback server per service (GitHub REST, Slack incoming
 * webhook, Slack Web API, PagerDuty Events v2, Teams webhook, generic
 * webhook). Each checks requests against the real service's contract and
 * records them. GitHub's routes come from its OpenAPI description, loaded
 * once per process.
 */
export async function startReceivers(options: ReceiverOptions = {}): Promise<Receivers> {
  const servers: Partial<Record<ServiceName, ReceiverServer>> = {};
  const githubRoutes = await loadGitHubRoutes();
  const state = {
    github: new GitHubStore(() => servers.github?.url ?? ''),
    slackApi: new SlackChannels(),
    pagerduty: new Map<string, PagerDutyIncident>(),
    webhookDeliveries: new Set<string>(),
  };

  const handlers: Record<ServiceName, Handler> = {
    github: createGitHubHandler(githubRoutes, state.github, options.githubToken),
    slack: createSlackWebhookHandler(),
    slackApi: createSlackApiHandler(state.slackApi, options.slackToken),
    pagerduty: createPagerDutyHandler(state.pagerduty),
    teams: createTeamsHandler(),
    webhook: createWebhookHandler(options.webhookSecret, state.webhookDeliveries),
  };

  try {
    for (const [index, service] of serviceNames.entries()) {
      const faults = new FaultState(errorBodies[service], options.faults?.[service]);
      const port = options.portBase === undefined ? 0 : options.portBase + index;
      servers[service] = await startReceiverServer(handlers[service], faults, { port, onRecord: (record) => options.onRecord?.(service, record) });
    }
  } catch (error) {
    await Promise.all(Object.values(servers).map((server) => server.close()));
    throw error;
  }

  const started = servers as Record<ServiceName, ReceiverServer>;
  return {
    urls: Object.fromEntries(serviceNames.map((service) => [service, `${started[service].url}${urlPaths[service]}`])) as Record<ServiceName, string>,
    received: Object.fromEntries(serviceNames.map((service) => [service, started[service].received])) as Record<ServiceName, RecordedRequest[]>,
    state,
    setFault: (service, fault) => started[service].faults.set(fault),
    stop: async () => {
      await Promise.all(serviceNames.map((service) => started[service].close()));
    },
  };
}
