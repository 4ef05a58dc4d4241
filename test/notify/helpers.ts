import type { Receivers } from '@atom-actions/sandbox/receivers/receivers';

/** Secrets the end-to-end tests pass, to check that none leaks. */
export const secrets = {
  githubToken: 'ghp_notifyTestToken0000000000000000000000',
  slackToken: 'xoxb-notify-test-token-0000',
  routingKey: 'R0UTINGKEY0NOTIFY0TEST000000000A',
  webhookSecret: 'whsec-notify-test-secret',
};

/** Returns inputs that point every channel at the receivers. */
export function allChannelInputs(receivers: Receivers): Record<string, string> {
  return {
    'allow-any-host': 'true',
    'slack-webhook-url': receivers.urls.slack,
    'slack-token': secrets.slackToken,
    'slack-channel': 'C0DEPLOYS',
    'slack-critical-channel': 'C0CRITICAL',
    'slack-api-url': receivers.urls.slackApi,
    'github-token': secrets.githubToken,
    'github-api-url': receivers.urls.github,
    'pagerduty-routing-key': secrets.routingKey,
    'pagerduty-url': receivers.urls.pagerduty,
    'teams-webhook-url': receivers.urls.teams,
    'webhook-url': receivers.urls.webhook,
    'webhook-secret': secrets.webhookSecret,
    retries: '2',
    timeout: '5s',
  };
}

/** Parses the `results` output of a run. */
export function parseResults(output: string | undefined): Record<string, { status: string; detail: string; attempts?: number }> {
  return JSON.parse(output ?? '{}') as Record<string, { status: string; detail: string; attempts?: number }>;
}
