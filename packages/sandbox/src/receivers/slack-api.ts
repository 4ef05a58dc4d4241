import { jsonResponse, type Handler, type IncomingRequest, type ReceiverResponse } from './http.ts';
import { validateSlackMessage } from './slack-validation.ts';

/** A message as conversations.history returns it. */
export interface SlackStoredMessage {
  type: 'message';
  user: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  reply_count?: number;
  edited?: { user: string; ts: string };
}

/** Messages of each channel, oldest first, with their thread replies inline. */
export class SlackChannels {
  private readonly channels = new Map<string, SlackStoredMessage[]>();
  private clock = 1_700_000_000;
  private counter = 0;

  /** Returns a channel's messages, creating the channel on first use. */
  messages(channel: string): SlackStoredMessage[] {
    let messages = this.channels.get(channel);
    if (!messages) {
      messages = [];
      this.channels.set(channel, messages);
    }
    return messages;
  }

  /** Returns the messages of a channel that start or stand outside a thread. */
  parents(channel: string): SlackStoredMessage[] {
    return this.messages(channel).filter((message) => !message.thread_ts || message.thread_ts === message.ts);
  }

  /** Returns the replies of a thread, without its parent. */
  replies(channel: string, threadTs: string): SlackStoredMessage[] {
    return this.messages(channel).filter((message) => message.thread_ts === threadTs && message.ts !== threadTs);
  }

  /** Returns the next unique, increasing message timestamp. */
  nextTs(): string {
    this.counter += 1;
    return `${this.clock + this.counter}.${String(this.counter).padStart(6, '0')}`;
  }
}

/**
 * Builds the Slack Web API handler for chat.postMessage, chat.update,
 * conversations.history and conversations.replies. Every response is HTTP 200
 * with `ok: true` or `ok: false` and Slack's error code, as Slack does.
 * Channel names and IDs are both accepted as given.
 */
export function createSlackApiHandler(channels: SlackChannels, token?: string): Handler {
  return (request) => {
    const auth = /^Bearer (\S+)$/i.exec(request.headers['authorization'] ?? '')?.[1];
    if (!auth) return slackError('not_authed');
    if (token && auth !== token) return slackError('invalid_auth');

    const method = request.url.pathname.split('/').pop() ?? '';
    const args = readArguments(request);
    switch (method) {
      case 'chat.postMessage':
        return postMessage(channels, args);
      case 'chat.update':
        return updateMessage(channels, args);
      case 'conversations.history':
        return history(channels, args);
      case 'conversations.replies':
        return jsonResponse(200, { ok: true, messages: channels.messages(String(args['channel'] ?? '')).filter((message) => message.ts === args['ts'] || message.thread_ts === args['ts']) });
      default:
        return jsonResponse(404, { ok: false, error: 'unknown_method' });
    }
  };
}

function readArguments(request: IncomingRequest): Record<string, unknown> {
  const args: Record<string, unknown> = Object.fromEntries(request.url.searchParams.entries());
  const type = request.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) Object.assign(args, Object.fromEntries(new URLSearchParams(request.body).entries()));
  else if (typeof request.json === 'object' && request.json !== null) Object.assign(args, request.json);
  return args;
}

function postMessage(channels: SlackChannels, args: Record<string, unknown>): ReceiverResponse {
  const channel = typeof args['channel'] === 'string' ? args['channel'] : '';
  if (!channel) return slackError('channel_not_found');
  const error = validateSlackMessage(args);
  if (error) return slackError(error);

  const threadTs = typeof args['thread_ts'] === 'string' ? args['thread_ts'] : undefined;
  const parent = threadTs ? channels.parents(channel).find((message) => message.ts === threadTs) : undefined;
  if (threadTs && !parent) return slackError('thread_not_found');

  const message: SlackStoredMessage = {
    type: 'message',
    user: 'U0ATOMBOT',
    ts: channels.nextTs(),
    text: typeof args['text'] === 'string' ? args['text'] : '',
    ...(Array.isArray(args['blocks']) ? { blocks: args['blocks'] } : {}),
    ...(Array.isArray(args['attachments']) ? { attachments: args['attachments'] } : {}),
    ...(isMetadata(args['metadata']) ? { metadata: args['metadata'] } : {}),
  };
  if (parent && threadTs) {
    message.thread_ts = threadTs;
    parent.thread_ts = threadTs;
    parent.reply_count = (parent.reply_count ?? 0) + 1;
  }
  channels.messages(channel).push(message);
  return jsonResponse(200, { ok: true, channel, ts: message.ts, message });
}

function updateMessage(channels: SlackChannels, args: Record<string, unknown>): ReceiverResponse {
  const channel = typeof args['channel'] === 'string' ? args['channel'] : '';
  const message = channels.messages(channel).find((candidate) => candidate.ts === args['ts']);
  if (!message) return slackError('message_not_found');
  const error = validateSlackMessage({ text: args['text'] ?? message.text, blocks: args['blocks'], attachments: args['attachments'] });
  if (error) return slackError(error);

  if (typeof args['text'] === 'string') message.text = args['text'];
  if (Array.isArray(args['blocks'])) message.blocks = args['blocks'];
  if (Array.isArray(args['attachments'])) message.attachments = args['attachments'];
  if (isMetadata(args['metadata'])) message.metadata = args['metadata'];
  message.edited = { user: 'U0ATOMBOT', ts: channels.nextTs() };
  return jsonResponse(200, { ok: true, channel, ts: message.ts, text: message.text });
}

function history(channels: SlackChannels, args: Record<string, unknown>): ReceiverResponse {
  const channel = typeof args['channel'] === 'string' ? args['channel'] : '';
  if (!channel) return slackError('channel_not_found');
  const limit = Math.min(999, Number(args['limit'] ?? 100) || 100);
  const withMetadata = String(args['include_all_metadata'] ?? 'false') === 'true';

  const newestFirst = [...channels.parents(channel)].reverse();
  const messages = newestFirst.slice(0, limit).map((message) => {
    if (withMetadata) return message;
    const { metadata: _metadata, ...rest } = message;
    return rest;
  });
  return jsonResponse(200, { ok: true, messages, has_more: newestFirst.length > limit, pin_count: 0, response_metadata: { next_cursor: '' } });
}

function isMetadata(value: unknown): value is { event_type: string; event_payload: Record<string, unknown> } {
  if (typeof value !== 'object' || value === null) return false;
  const { event_type: eventType, event_payload: payload } = value as Record<string, unknown>;
  return typeof eventType === 'string' && /^[A-Za-z0-9_]+$/.test(eventType) && typeof payload === 'object' && payload !== null;
}

function slackError(error: string): ReceiverResponse {
  return jsonResponse(200, { ok: false, error });
}
