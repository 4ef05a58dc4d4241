import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import { startReceivers, type Receivers } from '@atom-actions/sandbox/receivers/receivers';

let receivers: Receivers;

beforeAll(async () => {
  receivers = await startReceivers({ webhookSecret: 'receiver-secret' });
});

afterAll(async () => {
  await receivers.stop();
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

const auth = { authorization: 'token ghp_receiver' };

describe('GitHub receiver', () => {
  test('unknown path is 404', async () => {
    const response = await fetch(`${receivers.urls.github}/repos/o/r/not-an-endpoint`, { headers: auth });
    expect(response.status).toBe(404);
  });

  test('body is validated against OpenAPI', async () => {
    const response = await post(`${receivers.urls.github}/repos/o/r/issues`, { body: 'no title' }, auth);
    expect(response.status).toBe(422);
    expect(response.text).toContain('title');
  });

  test('missing token is 401', async () => {
    const response = await post(`${receivers.urls.github}/repos/o/r/issues`, { title: 't' });
    expect(response.status).toBe(401);
  });

  test('missing label is 404 then created', async () => {
    const missing = await fetch(`${receivers.urls.github}/repos/o/r/labels/rollback`, { headers: auth });
    expect(missing.status).toBe(404);
    expect((await post(`${receivers.urls.github}/repos/o/r/labels`, { name: 'rollback', color: 'fbca04' }, auth)).status).toBe(201);
    expect((await post(`${receivers.urls.github}/repos/o/r/labels`, { name: 'rollback' }, auth)).status).toBe(422);
    const found = await fetch(`${receivers.urls.github}/repos/o/r/labels/rollback`, { headers: auth });
    expect(found.status).toBe(200);
  });

  test('issue list paginates with Link', async () => {
    for (let index = 0; index < 3; index++) await post(`${receivers.urls.github}/repos/o/pages/issues`, { title: `issue ${index}` }, auth);
    const response = await fetch(`${receivers.urls.github}/repos/o/pages/issues?per_page=2`, { headers: auth });
    const issues = (await response.json()) as { number: number }[];
    expect(issues.map((issue) => issue.number)).toEqual([3, 2]);
    expect(response.headers.get('link')).toContain('rel="next"');
  });
});

describe('Slack receivers', () => {
  test('webhook rejects too many blocks', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const response = await post(receivers.urls.slack, { text: 'x', blocks });
    expect(response).toEqual({ status: 400, text: 'invalid_blocks' });
  });

  test('webhook rejects empty message', async () => {
    expect(await post(receivers.urls.slack, {})).toEqual({ status: 400, text: 'no_text' });
  });

  test('web API needs a token', async () => {
    const response = await post(`${receivers.urls.slackApi}/chat.postMessage`, { channel: 'C1', text: 'x' });
    expect(JSON.parse(response.text)).toEqual({ ok: false, error: 'not_authed' });
  });

  test('history hides metadata unless asked', async () => {
    const headers = { authorization: 'Bearer xoxb-1' };
    await post(`${receivers.urls.slackApi}/chat.postMessage`, { channel: 'C2', text: 'x', metadata: { event_type: 'atom_incident', event_payload: { incident_key: 'k' } } }, headers);
    const plain = await (await fetch(`${receivers.urls.slackApi}/conversations.history?channel=C2`, { headers })).json() as { messages: { metadata?: unknown }[] };
    const full = await (await fetch(`${receivers.urls.slackApi}/conversations.history?channel=C2&include_all_metadata=true`, { headers })).json() as { messages: { metadata?: unknown }[] };
    expect(plain.messages[0]?.metadata).toBeUndefined();
    expect(full.messages[0]?.metadata).toEqual({ event_type: 'atom_incident', event_payload: { incident_key: 'k' } });
  });
});

describe('PagerDuty, Teams and webhook receivers', () => {
  test('pagerduty rejects missing summary', async () => {
    const response = await post(receivers.urls.pagerduty, { routing_key: 'k'.repeat(32), event_action: 'trigger', payload: { source: 's', severity: 'error' } });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ message: 'Event object is invalid', errors: ["'payload.summary' is missing or blank"] });
  });

  test('teams reports oversized message in body', async () => {
    const response = await post(receivers.urls.teams, { type: 'message', attachments: [], padding: 'p'.repeat(30_000) });
    expect(response.status).toBe(200);
    expect(response.text).toContain('Webhook message delivery failed');
  });

  test('webhook rejects a bad signature', async () => {
    const response = await post(receivers.urls.webhook, { a: 1 }, { 'x-atom-signature-256': 'sha256=00' });
    expect(response.status).toBe(401);
  });

  test('fault answers the next requests', async () => {
    receivers.setFault('webhook', { kind: 'server-error', times: 1, status: 502 });
    expect((await post(receivers.urls.webhook, {})).status).toBe(502);
    expect((await post(receivers.urls.webhook, {})).status).toBe(401);
  });
});
