import { describe, expect, test } from '@jest/globals';

import { ConfigurationError } from '@atom-actions/shared/errors';
import { InputReader } from '@atom-actions/shared/inputs';
import { buildPagerDutyEvent, chooseAction } from '@atom-actions/shared/notify/channels/pagerduty';
import { buildSlackMessage, fitMrkdwn } from '@atom-actions/shared/notify/channels/slack-blocks';
import { buildTeamsMessage } from '@atom-actions/shared/notify/channels/teams';
import { signBody } from '@atom-actions/shared/notify/channels/webhook';
import type { RunContext } from '@atom-actions/shared/notify/context';
import { deriveIncidentKey, validateIncidentKey } from '@atom-actions/shared/notify/incident-key';
import { jsonBytes, truncateText } from '@atom-actions/shared/notify/limits';
import { buildNotification, type MessageInputs } from '@atom-actions/shared/notify/message';
import { readNotifyInputs } from '@atom-actions/shared/notify/settings';
import { renderTemplate, validateTemplate } from '@atom-actions/shared/notify/templates';

const context: RunContext = {
  repository: 'atom-org/atom',
  serverUrl: 'https://github.com',
  runId: '42',
  runUrl: 'https://github.com/atom-org/atom/actions/runs/42',
  actor: 'octocat',
  sha: 'abcdef0123456789',
  ref: 'refs/heads/main',
  workflow: 'deploy',
  commitMessage: 'Ship it',
  commitUrl: '',
};

const message: MessageInputs = {
  environment: 'production',
  version: 'v1.2.3',
  revision: '',
  reason: 'error rate 5% above 1%',
  severity: undefined,
  details: '',
  titleTemplate: '',
  textTemplate: '',
  incidentKey: '',
};

function reader(values: Record<string, string>): InputReader {
  return new InputReader((name) => values[name] ?? '', '/nonexistent-workspace');
}

describe('truncateText', () => {
  test('keeps short text unchanged', () => {
    expect(truncateText('short', 10)).toBe('short');
  });

  test('never splits an emoji', () => {
    const text = '👩‍👩‍👧'.repeat(100);
    const cut = truncateText(text, 120);
    expect(cut.length).toBeLessThanOrEqual(120);
    const kept = cut.replace(/… \[truncated: .*$/, '');
    expect(kept.length % '👩‍👩‍👧'.length).toBe(0);
    expect(cut).toMatch(/… \[truncated: [\d,]+ characters omitted\]$/);
  });

  test('marker counts omitted characters', () => {
    const cut = truncateText('a'.repeat(10_000), 1000);
    const kept = cut.indexOf('…');
    expect(cut).toContain(`[truncated: ${(10_000 - kept).toLocaleString('en-US')} characters omitted]`);
  });
});

describe('templates', () => {
  test('unknown variable suggests closest', () => {
    expect(() => validateTemplate('title', 'Deploy {{ verison }}')).toThrow(ConfigurationError);
    expect(() => validateTemplate('title', 'Deploy {{ verison }}')).toThrow('Did you mean "version"?');
  });

  test('values are not expanded twice', () => {
    const values = Object.fromEntries(['event', 'status', 'environment', 'version', 'revision', 'reason', 'severity', 'details', 'incident_key', 'repository', 'run_url', 'actor', 'sha', 'short_sha', 'ref', 'workflow', 'commit_message', 'commit_url'].map((name) => [name, ''])) as Parameters<typeof renderTemplate>[1];
    expect(renderTemplate('{{reason}}!', { ...values, reason: '{{ version }}' })).toBe('{{ version }}!');
  });
});

describe('incident key', () => {
  test('default joins repository, environment, version', () => {
    expect(deriveIncidentKey({ repository: 'atom-org/atom', environment: 'production', version: 'v1.2.3', revision: '', sha: 'abc' })).toBe('atom-org/atom:production:v1.2.3');
  });

  test('rejects characters that break the marker', () => {
    expect(() => validateIncidentKey('incident-key', 'a-->b')).toThrow('Input "incident-key" has an invalid value');
    expect(() => validateIncidentKey('incident-key', 'x'.repeat(256))).toThrow(ConfigurationError);
  });
});

describe('readNotifyInputs', () => {
  test('rejects a foreign Teams host', () => {
    expect(() => readNotifyInputs(reader({ 'teams-webhook-url': 'https://evil.example.net/webhookb2/x' }))).toThrow('"teams-webhook-url" points at the host "evil.example.net"');
  });

  test('accepts real service hosts', () => {
    const settings = readNotifyInputs(
      reader({
        'slack-webhook-url': 'https://hooks.slack.com/services/T/B/X',
        'teams-webhook-url': 'https://prod-01.westus.logic.azure.com/workflows/1',
        'pagerduty-routing-key': 'k'.repeat(32),
      }),
    );
    expect(settings.slackWebhook?.url.hostname).toBe('hooks.slack.com');
    expect(settings.teams?.url.hostname).toBe('prod-01.westus.logic.azure.com');
    expect(settings.pagerduty?.url.href).toBe('https://events.pagerduty.com/v2/enqueue');
  });

  test('malformed secret URL is not quoted', () => {
    expect(() => readNotifyInputs(reader({ 'webhook-url': 'not a url with-secret-123' }))).toThrow(/^(?!.*with-secret-123).*"webhook-url" is not a valid absolute URL/);
  });

  test('prefix applies to every input', () => {
    const settings = readNotifyInputs(reader({ 'notify-webhook-url': 'https://hooks.internal.example/x', 'notify-fail-on-error': 'false' }), { prefix: 'notify-' });
    expect(settings.webhook?.url.hostname).toBe('hooks.internal.example');
    expect(settings.delivery.failOnError).toBe(false);
  });

  test('slack token needs a channel', () => {
    expect(() => readNotifyInputs(reader({ 'slack-token': 'xoxb-1' }))).toThrow('Input "slack-channel" is required');
  });
});

describe('channel payloads', () => {
  test('slack message fits block limits', () => {
    const notification = buildNotification('incident', { ...message, details: 'y'.repeat(5000) }, context);
    const slack = buildSlackMessage(notification);
    const header = slack.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    const section = slack.attachments[0]?.blocks[0] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    expect(slack.attachments[0]?.color).toBe('#e8590c');
  });

  test('mrkdwn escaping stays within limit', () => {
    const escaped = fitMrkdwn('<'.repeat(3000), 3000);
    expect(escaped.length).toBeLessThanOrEqual(3000);
    expect(escaped).not.toMatch(/&(?!lt;)/);
  });

  test('teams card fits 28 KB', () => {
    const notification = buildNotification('incident', { ...message, details: 'é'.repeat(40_000) }, context);
    const card = buildTeamsMessage(notification);
    expect(jsonBytes(card)).toBeLessThanOrEqual(28 * 1024);
    expect(JSON.stringify(card)).toContain('"version":"1.4"');
  });

  test('pagerduty trigger fits limits', () => {
    const notification = buildNotification('incident', { ...message, titleTemplate: 't'.repeat(2000), details: 'z'.repeat(600_000) }, context);
    const event = buildPagerDutyEvent('k'.repeat(32), 'trigger', notification) as { payload: { summary: string; severity: string } };
    expect(event.payload.summary.length).toBeLessThanOrEqual(1024);
    expect(event.payload.severity).toBe('error');
    expect(jsonBytes(event)).toBeLessThanOrEqual(512 * 1024);
  });

  test('pagerduty auto action by event', () => {
    expect(chooseAction('auto', buildNotification('resolved', message, context))).toBe('resolve');
    expect(chooseAction('auto', buildNotification('rollback', message, context))).toBe('trigger');
    expect(chooseAction('auto', buildNotification('deploy-started', message, context))).toBeUndefined();
    expect(chooseAction('acknowledge', buildNotification('deploy-started', message, context))).toBe('acknowledge');
  });

  test('webhook signature matches GitHub format', () => {
    // Test vector from GitHub's "Validating webhook deliveries" documentation.
    expect(signBody("It's a Secret to Everybody", 'Hello, World!')).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });
});
