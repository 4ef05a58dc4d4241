import { ConfigurationError } from '../errors.ts';

/** Services whose URLs are checked against the hosts they really use. */
export type HostedService = 'slack-webhook' | 'slack-api' | 'teams' | 'pagerduty';

/**
 * Hosts each service really uses. An entry starting with `.` matches any
 * subdomain. Sources: Slack's incoming webhook and Web API docs (including
 * GovSlack), Microsoft's Teams incoming webhook and Workflows (Power Automate)
 * docs, PagerDuty's Events API v2 docs (US and EU service regions).
 */
export const serviceHosts: Record<HostedService, readonly string[]> = {
  'slack-webhook': ['hooks.slack.com', 'hooks.slack-gov.com'],
  'slack-api': ['slack.com', 'slack-gov.com'],
  teams: ['.webhook.office.com', '.logic.azure.com', '.environment.api.powerplatform.com', 'outlook.office.com', 'outlook.office365.com'],
  pagerduty: ['events.pagerduty.com', 'events.eu.pagerduty.com'],
};

const serviceNames: Record<HostedService, string> = {
  'slack-webhook': 'a Slack incoming webhook',
  'slack-api': 'the Slack Web API',
  teams: 'a Microsoft Teams webhook',
  pagerduty: 'the PagerDuty Events API',
};

/** Returns whether the host is one of the service's hosts. */
export function isServiceHost(service: HostedService, host: string): boolean {
  const lower = host.toLowerCase();
  return serviceHosts[service].some((allowed) => (allowed.startsWith('.') ? lower.endsWith(allowed) : lower === allowed));
}

/**
 * Parses a URL input that may carry a secret (a webhook URL contains its
 * token). Errors name the input but never quote the value, because the
 * value is not yet masked when settings are read.
 */
export function parseSecretUrl(input: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`Input "${input}" is not a valid absolute URL (the value is not shown because it may contain a secret).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`Input "${input}" must start with https:// or http:// (found the scheme "${url.protocol.replace(/:$/, '')}").`);
  }
  return url;
}

/** Whether any host is allowed, and the name of the input that sets it, for messages. */
export interface AnyHostPermission {
  allowed: boolean;
  /** Such as `allow-any-host`, or `notify-allow-any-host` where another action embeds the inputs. */
  input: string;
}

/**
 * Rejects a URL whose host does not belong to the service, or that is not
 * HTTPS, unless any host is allowed (for proxies, GovCloud variants and
 * loopback tests). The error names the input and the host only.
 */
export function checkServiceUrl(input: string, url: URL, service: HostedService, anyHost: AnyHostPermission): void {
  if (anyHost.allowed) return;

  if (!isServiceHost(service, url.hostname)) {
    const hosts = serviceHosts[service].map((host) => (host.startsWith('.') ? `*${host}` : host)).join(', ');
    throw new ConfigurationError(
      `Input "${input}" points at the host "${url.hostname}", which is not ${serviceNames[service]} (expected ${hosts}). ` +
        `Set ${anyHost.input}: true to send to another host, such as a proxy or a test receiver.`,
    );
  }
  if (url.protocol !== 'https:') {
    throw new ConfigurationError(`Input "${input}" must use https:// for ${url.hostname}. Set ${anyHost.input}: true to allow plain http.`);
  }
}
