import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import { startReceivers, type Receivers } from '@atom-actions/sandbox/receivers/receivers';
import { runAction } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { allChannelInputs, parseResults } from './helpers.ts';

let receivers: Receivers;

beforeAll(async () => {
  receivers = await startReceivers();
});

afterAll(async () => {
  await receivers.stop();
});

function totalReceived(): number {
  return Object.values(receivers.received).reduce((sum, records) => sum + records.length, 0);
}

describe('notify bundle, limits and configuration', () => {
  test('5000-character section is cut', async () => {
    const start = receivers.received.slack.length;
    const details = `${'x'.repeat(4990)}🚀🚀🚀🚀🚀`;
    const result = await runAction({
      actionDirectory: actionDirectory('notify'),
      inputs: { event: 'canary-step', 'slack-webhook-url': receivers.urls.slack, 'allow-any-host': 'true', details },
      timeoutMs: 30_000,
    });

    expect(result.exitCode).toBe(0);
    const payload = receivers.received.slack[start]?.json as { attachments: { blocks: { type: string; text?: { text: string } }[] }[] };
    const section = payload.attachments[0]?.blocks.find((block) => block.type === 'section' && block.text)?.text?.text ?? '';
    expect(section.length).toBeLessThanOrEqual(3000);
    expect(section).toMatch(/… \[truncated: [\d,]+ characters omitted\]$/);
    expect(section.startsWith('x'.repeat(2000))).toBe(true);
  });

  test('65,537-character issue body is cut', async () => {
    const details = 'd'.repeat(65_537);
    const result = await runAction({
      actionDirectory: actionDirectory('notify'),
      inputs: { event: 'incident', 'github-token': 'ghp_limits', 'github-api-url': receivers.urls.github, details, 'incident-key': 'long-body-1' },
      timeoutMs: 30_000,
    });

    expect(result.exitCode).toBe(0);
    const issue = receivers.state.github.issues('atom-org', 'atom').find((candidate) => candidate.number === Number(result.outputs['issue-number']));
    const body = issue?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('characters omitted]');
    expect(body).toContain('<!-- atom-incident-key: long-body-1 -->');
  });

  test('non-Slack webhook host is rejected', async () => {
    const before = totalReceived();
    const result = await runAction({
      actionDirectory: actionDirectory('notify'),
      inputs: {
        event: 'deploy-started',
        'slack-webhook-url': 'https://hooks.example.com/services/T000/B000/secretpart',
        'webhook-url': receivers.urls.webhook,
      },
      timeoutMs: 30_000,
    });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('"slack-webhook-url"');
    expect(result.errors[0]).toContain('hooks.example.com');
    expect(result.stdout).not.toContain('secretpart');
    expect(totalReceived()).toBe(before);
  });

  test('unknown template variable is named', async () => {
    const result = await runAction({
      actionDirectory: actionDirectory('notify'),
      inputs: { event: 'custom', title: 'Deployed {{ enviroment }}', 'webhook-url': receivers.urls.webhook },
      timeoutMs: 30_000,
    });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining('"enviroment"')]);
    expect(result.errors[0]).toContain('Did you mean "environment"?');
  });

  test('templates render in every channel', async () => {
    const start = receivers.received.webhook.length;
    const result = await runAction({
      actionDirectory: actionDirectory('notify'),
      inputs: {
        ...allChannelInputs(receivers),
        'slack-token': '',
        'slack-channel': '',
        'slack-critical-channel': '',
        'github-token': '',
        'pagerduty-routing-key': '',
        'webhook-secret': '',
        event: 'custom',
        environment: 'prod-eu',
        title: '{{ environment }} note by {{ actor }}',
        text: 'Run {{run_url}}',
      },
      timeoutMs: 30_000,
    });

    expect(result.exitCode).toBe(0);
    const event = receivers.received.webhook[start]?.json as { title: string; text: string };
    expect(event.title).toBe('prod-eu note by release-manager');
    expect(event.text).toBe('Run https://github.com/atom-org/atom/actions/runs/1001');
    expect(Object.keys(parseResults(result.outputs['results'])).sort()).toEqual(['slack-webhook', 'teams', 'webhook']);
  });
});
