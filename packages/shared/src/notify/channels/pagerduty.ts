import { deliver, describeBody } from '../delivery.ts';
import { eventTraits, type Severity } from '../events.ts';
import { fitPayload, limits, truncateText } from '../limits.ts';
import type { Notification } from '../message.ts';
import type { ChannelResult, NotifyLog } from '../results.ts';
import type { DeliverySettings, PagerDutyAction } from '../settings.ts';

/** PagerDuty Events v2 `event_action`. */
export type EventAction = 'trigger' | 'acknowledge' | 'resolve';

const pagerDutySeverity: Record<Severity, string> = { P0: 'critical', P1: 'error', P2: 'warning' };

/**
 * Chooses the event action: the configured one, or for `auto`, resolve for
 * `resolved`, trigger for events that open an incident, and nothing for
 * informational events, which should not page anyone.
 */
export function chooseAction(configured: PagerDutyAction, notification: Notification): EventAction | undefined {
  if (configured !== 'auto') return configured;
  if (notification.event === 'resolved') return 'resolve';
  return eventTraits(notification.event).opensIncident ? 'trigger' : undefined;
}

/** Builds the Events v2 body; acknowledge and resolve carry only the routing key, action and dedup_key. */
export function buildPagerDutyEvent(routingKey: string, action: EventAction, notification: Notification): Record<string, unknown> {
  const dedupKey = notification.incidentKey.slice(0, limits.pagerduty.dedupKey);
  if (action !== 'trigger') return { routing_key: routingKey, event_action: action, dedup_key: dedupKey };

  return fitPayload(limits.pagerduty.payloadBytes, notification.text.length, (maxText) => ({
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: truncateText(notification.title, limits.pagerduty.summary),
      source: notification.context.repository || 'atom-actions',
      severity: pagerDutySeverity[notification.severity ?? 'P1'],
      timestamp: notification.timestamp,
      component: notification.environment || undefined,
      group: notification.context.repository || undefined,
      class: notification.event,
      custom_details: {
        text: truncateText(notification.text, maxText),
        ...Object.fromEntries(notification.fields.map((field) => [field.label, field.value])),
        incident_key: notification.incidentKey,
      },
    },
    client: 'atom-actions notify',
    ...(notification.context.runUrl ? { client_url: notification.context.runUrl, links: [{ href: notification.context.runUrl, text: 'Workflow run' }] } : {}),
  }));
}

/**
 * Sends the notice to PagerDuty Events v2 with the incident key as
 * `dedup_key`, so every notice of an incident lands on one PagerDuty
 * incident. PagerDuty deduplicates by that key, so a 5xx is retried.
 */
export async function sendPagerDuty(
  settings: { routingKey: string; url: URL; action: PagerDutyAction },
  notification: Notification,
  delivery: DeliverySettings,
  log: NotifyLog,
): Promise<ChannelResult> {
  const action = chooseAction(settings.action, notification);
  if (!action) return { channel: 'pagerduty', status: 'skipped', detail: `${notification.event} does not page; set pagerduty-action to send it anyway` };

  const response = await deliver(
    { url: settings.url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(buildPagerDutyEvent(settings.routingKey, action, notification)) },
    { delivery, log, label: 'PagerDuty', idempotent: true },
  );

  const parsed = parseBody(response.body);
  if (response.status === 202) {
    const dedupKey = typeof parsed['dedup_key'] === 'string' ? parsed['dedup_key'] : notification.incidentKey;
    log.info(`PagerDuty: ${action} accepted for dedup_key ${dedupKey}.`);
    return { channel: 'pagerduty', status: 'sent', detail: `${action} accepted`, dedupKey, attempts: response.attempts };
  }

  const errors = Array.isArray(parsed['errors']) ? `: ${parsed['errors'].join('; ')}` : '';
  const message = typeof parsed['message'] === 'string' ? `${parsed['message']}${errors}` : describeBody(response.body);
  return { channel: 'pagerduty', status: 'failed', detail: `PagerDuty answered HTTP ${response.status}: ${message}`, attempts: response.attempts };
}

function parseBody(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
