import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import { startReceivers, type Receivers } from '@atom-actions/sandbox/receivers/receivers';
import { runAction } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { allChannelInputs, parseResults, secrets } from './helpers.ts';

let receivers: Receivers;

beforeAll(async () => {
  receivers = await startReceivers({ githubToken: secrets.githubToken, slackToken: secrets.slackToken, webhookSecret: secrets.webhookSecret });
});

afterAll(async () => {
  await receivers.stop();
});

describe('notify bundle, every channel', () => {
  test('deploy-failed reaches every channel', async () => {
    const result = await runAction({
      actionDirectory: actionDirectory('notify'),
      inputs: { event: 'deploy-failed', environment: 'production', version: 'v2.0.0', reason: 'error rate 7.5% above 1%', 'incident-key': 'all-channels-1', ...allChannelInputs(receivers) },
      timeoutMs: 30_000,
    });
    if (result.exitCode !== 0) console.log(result.stdout, result.stderr);
    expect(result.exitCode).toBe(0);

    const results = parseResults(result.outputs['results']);
    for (const channel of ['slack-webhook', 'slack-api', 'github-issue', 'pagerduty', 'teams', 'webhook']) {
      expect(results[channel]?.status).toBe('sent');
    }
    expect(result.outputs['issue-number']).toMatch(/^\d+$/);
    expect(result.outputs['pagerduty-dedup-key']).toBe('all-channels-1');
    expect(result.summary).toContain('| github-issue |');
  });
});
