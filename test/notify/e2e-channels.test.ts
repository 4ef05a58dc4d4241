import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';

import { startReceivers, type Receivers } from '@atom-actions/sandbox/receivers/receivers';
import { runAction, type StepResult } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { allChannelInputs, parseResults, secrets } from './helpers.ts';

let receivers: Receivers;

beforeAll(async () => {
  receivers = await startReceivers({ githubToken: secrets.githubToken, slackToken: secrets.slackToken, webhookSecret: secrets.webhookSecret });
});

afterEach(() => {
  for (const service of ['github', 'slack', 'slackApi', 'pagerduty', 'teams', 'webhook'] as const) receivers.setFault(service, undefined);
});

afterAll(async () => {
  await receivers.stop();
});

function notify(inputs: Record<string, string>, event: Record<string, unknown> = {}): Promise<StepResult> {
  return runAction({ actionDirectory: actionDirectory('notify'), inputs: { ...allChannelInputs(receivers), ...inputs }, event, timeoutMs: 30_000 });
}

/** Returns what a service received after `start` requests, for tests that share the receivers. */
function receivedSince<T extends keyof Receivers['received']>(service: T, start: number): Receivers['received'][T] {
  return receivers.received[service].slice(start) as Receivers['received'][T];
}

describe('notify bundle, every channel', () => {
  test('deploy-failed reaches every channel', async () => {
    const result = await notify({ event: 'deploy-failed', environment: 'production', version: 'v2.0.0', reason: 'error rate 7.5% above 1%', 'incident-key': 'all-channels-1' });

    expect(result.exitCode).toBe(0);
    const results = parseResults(result.outputs['results']);
    for (const channel of ['slack-webhook', 'slack-api', 'github-issue', 'pagerduty', 'teams', 'webhook']) {
      expect(results[channel]?.status).toBe('sent');
    }
    expect(results['slack-critical']).toBeUndefined();
    expect(result.outputs['issue-number']).toMatch(/^\d+$/);
    expect(result.outputs['pagerduty-dedup-key']).toBe('all-channels-1');
    expect(result.outputs['slack-ts']).toMatch(/^\d+\.\d+$/);
    expect(result.outputs['passed']).toBe('true');
    expect(result.summary).toContain('| github-issue | ✅ pass |');

    const issue = receivers.state.github.issues('atom-org', 'atom').find((candidate) => candidate.number === Number(result.outputs['issue-number']));
    expect(issue?.labels.map((label) => label.name).sort()).toEqual(['incident', 'production']);
    expect(issue?.body).toContain('<!-- atom-incident-key: all-channels-1 -->');
  });

  test('same incident key threads everything', async () => {
    const key = 'same-key-three-times';
    const pagerdutyStart = receivers.received.pagerduty.length;
    const runs: StepResult[] = [];
    for (const [event, reason] of [['rollback', 'p99 latency 900 ms above 500 ms'], ['incident', 'errors continue'], ['incident', 'mitigated']]) {
      runs.push(await notify({ event: event ?? '', environment: 'staging', version: 'v3.1.0', reason: reason ?? '', 'incident-key': key }));
    }

    for (const run of runs) expect(run.exitCode).toBe(0);
    const issues = receivers.state.github.issues('atom-org', 'atom').filter((issue) => issue.body?.includes(`atom-incident-key: ${key} `));
    expect(issues).toHaveLength(1);
    const issueNumber = issues[0]?.number ?? 0;
    expect(receivers.state.github.comments('atom-org', 'atom', issueNumber)).toHaveLength(2);
    expect(runs.map((run) => run.outputs['issue-number'])).toEqual([String(issueNumber), String(issueNumber), String(issueNumber)]);

    const parents = receivers.state.slackApi.parents('C0DEPLOYS').filter((message) => message.metadata?.event_payload['incident_key'] === key);
    expect(parents).toHaveLength(1);
    const parentTs = parents[0]?.ts ?? '';
    expect(receivers.state.slackApi.replies('C0DEPLOYS', parentTs)).toHaveLength(2);
    expect(runs[2]?.outputs['slack-thread-ts']).toBe(parentTs);
    expect(JSON.stringify(parents[0]?.blocks)).toContain('investigating');

    const events = receivedSince('pagerduty', pagerdutyStart).map((record) => record.json as { dedup_key: string; event_action: string });
    expect(events.map((event) => event.dedup_key)).toEqual([key, key, key]);
    expect(receivers.state.pagerduty.get(key)?.actions).toEqual(['trigger', 'trigger', 'trigger']);

    const resolved = await notify({ event: 'resolved', environment: 'staging', version: 'v3.1.0', reason: 'rolled back and stable', 'incident-key': key });
    expect(resolved.exitCode).toBe(0);
    expect(issues[0]?.state).toBe('closed');
    const lastComment = receivers.state.github.comments('atom-org', 'atom', issueNumber).at(-1)?.body ?? '';
    expect(lastComment).toContain('## Post-mortem');
    expect(lastComment).toContain('### Root cause');
    expect(receivers.state.pagerduty.get(key)?.status).toBe('resolved');
    expect(receivers.state.slackApi.replies('C0DEPLOYS', parentTs)).toHaveLength(3);
  });

  test('emergency rollback also posts critical', async () => {
    const result = await notify({ event: 'emergency-rollback', environment: 'production', version: 'v9.9.9', 'incident-key': 'critical-1' });

    expect(result.exitCode).toBe(0);
    const results = parseResults(result.outputs['results']);
    expect(results['slack-critical']?.status).toBe('sent');
    expect(receivers.state.slackApi.parents('C0CRITICAL').some((message) => message.metadata?.event_payload['incident_key'] === 'critical-1')).toBe(true);
    const issue = receivers.state.github.issues('atom-org', 'atom').find((candidate) => candidate.body?.includes('atom-incident-key: critical-1 '));
    expect(issue?.labels.map((label) => label.name).sort()).toEqual(['critical', 'incident', 'p0', 'production', 'rollback']);
    const trigger = receivers.received.pagerduty.at(-1)?.json as { payload: { severity: string } };
    expect(trigger.payload.severity).toBe('critical');
  });

  test('commit message arrives intact', async () => {
    const message = 'Fix "quoted" \\ back\\slash\nsecond line\ttab 🚀👩‍👩‍👧 café';
    const starts = { slack: receivers.received.slack.length, pagerduty: receivers.received.pagerduty.length, teams: receivers.received.teams.length, webhook: receivers.received.webhook.length };
    const result = await notify({ event: 'rollback', environment: 'qa', version: 'v1', 'incident-key': 'commit-message-1' }, { head_commit: { message } });

    expect(result.exitCode).toBe(0);
    const webhook = receivedSince('webhook', starts.webhook)[0]?.json as { commit_message: string };
    expect(webhook.commit_message).toBe(message);

    const pagerduty = receivedSince('pagerduty', starts.pagerduty)[0]?.json as { payload: { custom_details: Record<string, string> } };
    expect(pagerduty.payload.custom_details['Commit message']).toBe(message);

    const teams = JSON.stringify(receivedSince('teams', starts.teams)[0]?.json);
    expect(teams).toContain(JSON.stringify(message));

    const slack = receivedSince('slack', starts.slack)[0]?.json as { attachments: { blocks: { fields?: { text: string }[] }[] }[] };
    const fields = slack.attachments[0]?.blocks.flatMap((block) => block.fields ?? []).map((field) => field.text);
    expect(fields).toContain(`*Commit message*\n${message}`);
  });

  test('secrets never leak', async () => {
    const result = await notify({ event: 'incident', environment: 'production', 'incident-key': 'secrets-1', details: `token is ${secrets.slackToken}` });

    expect(result.exitCode).toBe(0);
    const visible = result.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    const texts = [visible, result.stderr, result.summary, JSON.stringify(result.outputs)];
    for (const secret of [...Object.values(secrets), receivers.urls.slack, receivers.urls.teams]) {
      for (const text of texts) expect(text).not.toContain(secret);
    }
    for (const secret of Object.values(secrets)) expect(result.masks).toContain(secret);
  });

  test('slack retry_after is honoured', async () => {
    const start = receivers.received.slack.length;
    receivers.setFault('slack', { kind: 'rate-limit', times: 1, retryAfterSeconds: 1, via: 'body' });
    const result = await notify({ event: 'deploy-started', 'incident-key': 'rate-limit-1' });

    expect(result.exitCode).toBe(0);
    const requests = receivedSince('slack', start);
    expect(requests.map((request) => request.status)).toEqual([429, 200]);
    const waited = Date.parse(requests[1]?.receivedAt ?? '') - Date.parse(requests[0]?.receivedAt ?? '');
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(result.log.some((line) => line.includes('HTTP 429') && line.includes('retry 1 of 2 in 1000 ms'))).toBe(true);
    expect(parseResults(result.outputs['results'])['slack-webhook']?.attempts).toBe(2);
  });

  test('5xx is retried, 4xx is not', async () => {
    receivers.setFault('pagerduty', { kind: 'server-error', times: 2, status: 503 });
    const retried = await notify({ event: 'incident', 'incident-key': 'server-error-1' });
    expect(retried.exitCode).toBe(0);
    expect(parseResults(retried.outputs['results'])['pagerduty']?.attempts).toBe(3);

    const start = receivers.received.pagerduty.length;
    const rejected = await notify({ event: 'incident', 'incident-key': 'bad-key-1', 'pagerduty-routing-key': 'too-short' });
    expect(rejected.exitCode).toBe(1);
    expect(receivedSince('pagerduty', start)).toHaveLength(1);
    const pagerduty = parseResults(rejected.outputs['results'])['pagerduty'];
    expect(pagerduty?.status).toBe('failed');
    expect(pagerduty?.detail).toContain("Length of 'routing_key' is incorrect");
  });

  test('teams 200 with failure text fails', async () => {
    receivers.setFault('teams', { kind: 'error-body', times: 1 });
    const result = await notify({ event: 'deploy-succeeded', 'incident-key': 'teams-failure-1', retries: '0' });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('teams');
    const results = parseResults(result.outputs['results']);
    expect(results['teams']?.status).toBe('failed');
    expect(results['teams']?.detail).toContain('Webhook message delivery failed');
    expect(results['webhook']?.status).toBe('sent');
    expect(result.outputs['passed']).toBe('false');
  });

  test('fail-on-error false still reports', async () => {
    receivers.setFault('teams', { kind: 'error-body', times: 1 });
    const result = await notify({ event: 'deploy-succeeded', 'incident-key': 'teams-failure-2', 'fail-on-error': 'false', retries: '0' });

    expect(result.exitCode).toBe(0);
    expect(result.errors).toHaveLength(0);
    const results = parseResults(result.outputs['results']);
    expect(results['teams']?.status).toBe('failed');
    expect(results['slack-webhook']?.status).toBe('sent');
    expect(results['github-issue']?.status).toBe('skipped');
    expect(results['pagerduty']?.status).toBe('skipped');
    expect(result.warnings.some((warning) => warning.includes('fail-on-error is false'))).toBe(true);
    expect(result.summary).toContain('| teams | ❌ fail |');
  });
});
