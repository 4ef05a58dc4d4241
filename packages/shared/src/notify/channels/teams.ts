import { deliver, describeBody } from '../delivery.ts';
import { eventColor } from '../events.ts';
import { fitPayload, limits, truncateText } from '../limits.ts';
import type { Notification } from '../message.ts';
import type { ChannelResult, NotifyLog } from '../results.ts';
import type { DeliverySettings } from '../settings.ts';

/** Adaptive Card colour names by severity: Teams cards cannot take a hex colour. */
function cardStyle(notification: Notification): string {
  const color = eventColor(notification.event, notification.severity);
  if (color === '#d00000' || color === '#e8590c') return 'attention';
  if (color === '#f2c744') return 'warning';
  if (color === '#2eb67d') return 'good';
  return 'default';
}

/**
 * Builds the Teams message: one Adaptive Card 1.4 attachment with the title,
 * the text, the fields as a fact set and a button to the run. The text is cut
 * so that the whole message fits Teams' 28 KB.
 */
export function buildTeamsMessage(notification: Notification): Record<string, unknown> {
  return fitPayload(limits.teams.payloadBytes, notification.text.length, (maxText) => ({
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: [
            { type: 'Container', style: cardStyle(notification), items: [{ type: 'TextBlock', text: notification.title, weight: 'Bolder', size: 'Large', wrap: true }] },
            ...(notification.text ? [{ type: 'TextBlock', text: truncateText(notification.text, maxText), wrap: true }] : []),
            { type: 'FactSet', facts: notification.fields.map((field) => ({ title: field.label, value: truncateText(field.value, 2000) })) },
            { type: 'TextBlock', text: `Incident key: ${notification.incidentKey}`, isSubtle: true, size: 'Small', wrap: true },
          ],
          actions: notification.context.runUrl ? [{ type: 'Action.OpenUrl', title: 'Open workflow run', url: notification.context.runUrl }] : [],
        },
      },
    ],
  }));
}

/**
 * Posts the card to a Teams Workflows or connector webhook. The legacy
 * connector responds with HTTP 200 even when delivery failed, with a body such as
 * "Webhook message delivery failed with error: …", so such a body is a
 * failure. Teams has no deduplication, but a 5xx is retried because a
 * duplicate card costs less than a lost alert.
 */
export async function sendTeams(url: URL, notification: Notification, delivery: DeliverySettings, log: NotifyLog): Promise<ChannelResult> {
  const response = await deliver(
    { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(buildTeamsMessage(notification)) },
    { delivery, log, label: 'Teams', idempotent: true },
  );

  const body = response.body.trim();
  const failedInBody = /delivery failed|bad payload|is required/i.test(body);
  if (response.status >= 200 && response.status < 300 && !failedInBody) {
    return { channel: 'teams', status: 'sent', detail: `posted (HTTP ${response.status})`, attempts: response.attempts };
  }
  return { channel: 'teams', status: 'failed', detail: `Teams answered HTTP ${response.status}: ${describeBody(body)}`, attempts: response.attempts };
}
