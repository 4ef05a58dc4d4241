import { deliver, describeBody, slackBodyRetryAfter } from '../delivery.ts';
import type { Notification } from '../message.ts';
import { DeliveryError, type ChannelName, type ChannelResult, type NotifyLog } from '../results.ts';
import type { DeliverySettings } from '../settings.ts';
import { buildSlackMessage, statusBlock, statusBlockId, type Block } from './slack-blocks.ts';

/** `metadata.event_type` of an incident's parent message, which carries the incident key. */
export const parentEventType = 'atom_incident';

/** `metadata.event_type` of a reply in an incident's thread. */
export const replyEventType = 'atom_incident_update';

/** Messages of channel history searched for the parent: Slack's maximum page. */
const historyLimit = 200;

/** A message as conversations.history returns it, reduced to what threading needs. */
interface HistoryMessage {
  ts: string;
  thread_ts?: string;
  blocks?: Block[];
  attachments?: { color?: string; blocks?: Block[]; fallback?: string }[];
  text?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

interface SlackApiContext {
  apiUrl: URL;
  token: string;
  delivery: DeliverySettings;
  log: NotifyLog;
}

/**
 * Posts the notice to one channel with the Web API. The first notice of an
 * incident posts a parent message whose metadata carries the incident key.
 * Later runs find that parent by searching the channel's latest 200
 * messages (conversations.history with include_all_metadata), reply in its
 * thread and update the parent's status line with chat.update.
 */
export async function sendSlackApi(
  context: SlackApiContext,
  channel: string,
  resultName: ChannelName,
  notification: Notification,
): Promise<ChannelResult> {
  const parent = await findParent(context, channel, notification.incidentKey);
  const message = buildSlackMessage(notification);
  const payload = {
    event_type: parent ? replyEventType : parentEventType,
    event_payload: { incident_key: notification.incidentKey, event: notification.event, status: notification.status },
  };

  const posted = await callSlack(context, 'chat.postMessage', {
    channel,
    ...message,
    ...(parent ? { thread_ts: parent.ts, reply_broadcast: notification.event === 'resolved' } : {}),
    metadata: payload,
    unfurl_links: false,
  });
  if (!parent) {
    context.log.info(`Slack ${channel}: posted the parent message ${posted.ts} of incident ${notification.incidentKey}.`);
    return { channel: resultName, status: 'sent', detail: `posted message ${posted.ts}`, slackTs: posted.ts, attempts: posted.attempts };
  }

  context.log.info(`Slack ${channel}: replied in thread ${parent.ts} of incident ${notification.incidentKey}.`);
  const updated = await updateParentStatus(context, posted.channel || channel, parent, notification);
  const detail = `replied in thread ${parent.ts}${updated ? ' and updated its status' : ', but the status update failed'}`;
  return { channel: resultName, status: 'sent', detail, slackTs: posted.ts, slackThreadTs: parent.ts, attempts: posted.attempts };
}

async function findParent(context: SlackApiContext, channel: string, incidentKey: string): Promise<HistoryMessage | undefined> {
  const query = new URLSearchParams({ channel, limit: String(historyLimit), include_all_metadata: 'true' });
  const history = await callSlack(context, `conversations.history?${query.toString()}`, undefined);
  const messages = Array.isArray(history.body['messages']) ? (history.body['messages'] as HistoryMessage[]) : [];

  // NOTE: a parent older than the latest 200 messages is not found, and the notice starts a new thread.
  return messages.find(
    (message) =>
      message.metadata?.event_type === parentEventType &&
      message.metadata.event_payload?.['incident_key'] === incidentKey &&
      (!message.thread_ts || message.thread_ts === message.ts),
  );
}

async function updateParentStatus(context: SlackApiContext, channel: string, parent: HistoryMessage, notification: Notification): Promise<boolean> {
  const blocks = (parent.blocks ?? []).map((block) => (block['block_id'] === statusBlockId ? statusBlock(notification) : block));
  const fresh = buildSlackMessage(notification);
  const attachments = (parent.attachments ?? []).map((attachment) => ({ ...attachment, color: fresh.attachments[0]?.color }));

  try {
    await callSlack(context, 'chat.update', { channel, ts: parent.ts, text: parent.text ?? fresh.text, blocks, attachments, metadata: parent.metadata });
    return true;
  } catch (error) {
    // The reply is already posted, so a failed status update is reported but does not fail the channel.
    context.log.warning(`Slack ${channel}: could not update the status of message ${parent.ts}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

interface SlackReply {
  body: Record<string, unknown>;
  ts: string;
  channel: string;
  attempts: number;
}

/**
 * Calls a Web API method: POST with a JSON body, or GET when `body` is
 * undefined (read methods take query parameters). Slack responds with HTTP 200
 * with `ok: false` and an error code on failure, which throws DeliveryError.
 */
async function callSlack(context: SlackApiContext, method: string, body: Record<string, unknown> | undefined): Promise<SlackReply> {
  const url = new URL(`${context.apiUrl.href.replace(/\/+$/, '')}/${method}`);
  const name = method.split('?')[0] ?? method;
  const response = await deliver(
    {
      url,
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${context.token}`, ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    },
    // Reads and chat.update repeat safely; a repeated chat.postMessage may duplicate a notice, which beats losing it.
    { delivery: context.delivery, log: context.log, label: `Slack ${name}`, idempotent: true, bodyRetryAfter: slackBodyRetryAfter },
  );

  const parsed = parseJson(response.body);
  if (response.status !== 200 || parsed?.['ok'] !== true) {
    const error = typeof parsed?.['error'] === 'string' ? parsed['error'] : describeBody(response.body);
    throw new DeliveryError(`Slack ${name} failed with HTTP ${response.status}: ${error}`, response.attempts);
  }
  return { body: parsed, ts: String(parsed['ts'] ?? ''), channel: String(parsed['channel'] ?? ''), attempts: response.attempts };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
