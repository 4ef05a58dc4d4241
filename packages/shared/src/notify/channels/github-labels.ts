import { eventTraits, isCritical } from '../events.ts';
import type { Notification } from '../message.ts';

/** Colour and description of each runbook label, used when the label is created. */
export const runbookLabels: Record<string, { color: string; description: string }> = {
  production: { color: '0e8a16', description: 'Concerns the production environment' },
  rollback: { color: 'fbca04', description: 'A release was rolled back' },
  incident: { color: 'd93f0b', description: 'An incident is open' },
  p0: { color: 'b60205', description: 'Severity P0: most urgent' },
  critical: { color: 'b60205', description: 'Critical: page the on-call engineer' },
};

/** Colour of a label that is not a runbook label. */
export const otherLabelColor = 'ededed';

/**
 * Returns the labels of a notice: the event's runbook labels, `production`
 * for a production environment, `p0` for P0, `critical` for P0 or an
 * emergency rollback, then the user's extra labels, without repeats.
 */
export function labelsFor(notification: Notification, extra: readonly string[]): string[] {
  const labels = [...eventTraits(notification.event).labels];
  if (/^prod(uction)?$/i.test(notification.environment)) labels.push('production');
  if (notification.severity === 'P0') labels.push('p0');
  if (isCritical(notification.event, notification.severity)) labels.push('critical');
  return [...new Set([...labels, ...extra])];
}
