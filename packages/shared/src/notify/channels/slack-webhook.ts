import { deliver, describeBody, slackBodyRetryAfter } from '../delivery.ts';
import type { Notification } from '../message.ts';
import type { ChannelResult, NotifyLog } from '../results.ts';
import type { DeliverySettings } from '../settings.ts';
import { buildSlackMessage } from './slack-blocks.ts';

/**
 * Posts the notice to a Slack incoming webhook. Slack responds `ok` as plain
 * text, and anything else, including a 200 with an error word such as
 * `invalid_blocks` or `no_text`, is a failure. Incoming webhooks cannot
 * reply in threads, so every notice is a new message.
 */
export async function sendSlackWebhook(url: URL, notification: Notification, delivery: DeliverySettings, log: NotifyLog): Promise<ChannelResult> {
  const response = await deliver(
    { url, method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(buildSlackMessage(notification)) },
    // A 5xx is retried: a duplicate alert costs less than a lost one during an incident.
    { delivery, log, label: 'Slack webhook', idempotent: true, bodyRetryAfter: slackBodyRetryAfter },
  );

  const body = response.body.trim();
  if (response.status === 200 && body === 'ok') {
    return { channel: 'slack-webhook', status: 'sent', detail: 'posted', attempts: response.attempts };
  }
  return {
    channel: 'slack-webhook',
    status: 'failed',
    detail: `Slack answered HTTP ${response.status}: ${describeBody(body)}`,
    attempts: response.attempts,
  };
}
