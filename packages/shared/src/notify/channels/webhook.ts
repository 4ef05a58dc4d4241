import { createHmac, randomUUID } from 'node:crypto';

import { deliver, describeBody } from '../delivery.ts';
import type { Notification } from '../message.ts';
import type { ChannelResult, NotifyLog } from '../results.ts';
import type { DeliverySettings } from '../settings.ts';

/** Header with the HMAC-SHA256 of the body, in GitHub's webhook format `sha256=<hex>`. */
export const signatureHeader = 'x-atom-signature-256';

/** Header with an id that stays the same across retries, so receivers can drop repeats. */
export const deliveryHeader = 'x-atom-delivery';

/** Computes the signature header value of a body. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Builds the JSON event a generic webhook receives: the whole notice, as data. */
export function buildWebhookEvent(notification: Notification): Record<string, unknown> {
  return {
    event: notification.event,
    severity: notification.severity ?? null,
    status: notification.status,
    title: notification.title,
    text: notification.text,
    environment: notification.environment,
    version: notification.version,
    revision: notification.revision,
    reason: notification.reason,
    details: notification.details,
    incident_key: notification.incidentKey,
    timestamp: notification.timestamp,
    fields: notification.fields,
    repository: notification.context.repository,
    run_url: notification.context.runUrl,
    actor: notification.context.actor,
    sha: notification.context.sha,
    ref: notification.context.ref,
    workflow: notification.context.workflow,
    commit_message: notification.context.commitMessage,
  };
}

/**
 * Posts the notice as JSON to a webhook, signed when a secret is set. A
 * 5xx is retried with the same X-Atom-Delivery id, so receivers can drop
 * repeats. Any 2xx is success.
 */
export async function sendWebhook(settings: { url: URL; secret: string }, notification: Notification, delivery: DeliverySettings, log: NotifyLog): Promise<ChannelResult> {
  const body = JSON.stringify(buildWebhookEvent(notification));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'atom-actions-notify',
    [deliveryHeader]: randomUUID(),
    'x-atom-event': notification.event,
  };
  if (settings.secret) headers[signatureHeader] = signBody(settings.secret, body);

  const response = await deliver({ url: settings.url, method: 'POST', headers, body }, { delivery, log, label: 'Webhook', idempotent: true });
  if (response.status >= 200 && response.status < 300) {
    return { channel: 'webhook', status: 'sent', detail: `delivered (HTTP ${response.status})`, attempts: response.attempts };
  }
  return { channel: 'webhook', status: 'failed', detail: `the webhook answered HTTP ${response.status}: ${describeBody(response.body)}`, attempts: response.attempts };
}
