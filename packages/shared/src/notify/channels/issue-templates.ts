import { escapeCell } from '../../summary.ts';
import { incidentMarker } from '../incident-key.ts';
import { limits, truncateText } from '../limits.ts';
import type { Notification } from '../message.ts';

/**
 * Markdown of the GitHub issue of an incident: the rollback and incident
 * templates of the runbook, the comment of a later notice, and the
 * post-mortem skeleton posted when the incident is resolved. Each body keeps
 * the hidden marker that later runs search for, and fits GitHub's limit of
 * 65,536 characters by cutting the notice's text, never the marker.
 */

/** Builds the issue title, cut to GitHub's 256 characters. */
export function issueTitle(notification: Notification): string {
  return truncateText(notification.title, limits.github.issueTitle);
}

/** Builds the body of a new issue: the rollback template for rollbacks, the incident template otherwise. */
export function issueBody(notification: Notification): string {
  const isRollback = notification.event === 'rollback' || notification.event === 'emergency-rollback';
  return fitBody(notification.text, (text) => (isRollback ? rollbackBody(notification, text) : incidentBody(notification, text)));
}

/** Builds the comment of a later notice about the same incident. */
export function issueComment(notification: Notification): string {
  return fitBody(notification.text, (text) => [`### ${notification.title}`, text, factTable(notification), incidentMarker(notification.incidentKey)].join('\n\n'));
}

/** Builds the comment that resolves the incident, with the post-mortem skeleton to fill in. */
export function resolutionComment(notification: Notification, openedAt: string): string {
  return fitBody(notification.text, (text) =>
    [`### ${notification.title}`, text, factTable(notification), postMortem(notification, openedAt), incidentMarker(notification.incidentKey)].join('\n\n'),
  );
}

function rollbackBody(notification: Notification, text: string): string {
  return [
    '## Rollback',
    factTable(notification),
    '### Reason',
    notification.reason || '_Not given._',
    '### Details',
    text || '_None._',
    '### Next steps',
    '- [ ] Confirm that the previous revision serves traffic and its error rate is back to normal',
    '- [ ] Find the root cause of the failed release',
    '- [ ] Fix forward or re-release, then resolve this issue',
    'Later notices about this incident are added as comments. Resolving it closes this issue.',
    incidentMarker(notification.incidentKey),
  ].join('\n\n');
}

function incidentBody(notification: Notification, text: string): string {
  return [
    '## Incident',
    factTable(notification),
    '### Summary',
    text || '_None._',
    '### Impact',
    '_Who and what is affected, since when._',
    '### Timeline (UTC)',
    timelineTable([[notification.timestamp, notification.title]]),
    '### Actions',
    '- [ ] Assign an incident commander',
    '- [ ] Decide: roll back, fix forward or mitigate',
    '- [ ] Post updates to the incident channel',
    'Later notices about this incident are added as comments. Resolving it closes this issue.',
    incidentMarker(notification.incidentKey),
  ].join('\n\n');
}

/** Builds the post-mortem skeleton of the runbook, with the incident's start and end filled in. */
export function postMortem(notification: Notification, openedAt: string): string {
  return [
    '## Post-mortem',
    '### Summary',
    '_What happened, in two or three sentences._',
    '### Timeline (UTC)',
    timelineTable([
      [openedAt, 'Incident opened'],
      [notification.timestamp, notification.title],
    ]),
    '### Root cause',
    '_The change or condition that caused the incident._',
    '### Impact',
    '_Users, requests and duration affected._',
    '### Resolution',
    notification.reason || '_How service was restored._',
    '### Action items',
    '| Action | Owner | Due |\n| --- | --- | --- |\n| | | |',
    '### Prevention',
    '_What stops this class of incident from recurring._',
    '### Lessons learned',
    '_What went well, what went badly, where we were lucky._',
  ].join('\n\n');
}

function factTable(notification: Notification): string {
  // Each value is cut to 2,000 characters, so the template stays far below the body limit and only the text needs cutting.
  const rows = notification.fields.map((field) => `| ${field.label} | ${escapeCell(truncateText(field.value, 2000))} |`);
  if (notification.context.runUrl) rows.push(`| Workflow run | ${notification.context.runUrl} |`);
  rows.push(`| Incident key | \`${escapeCell(notification.incidentKey)}\` |`);
  return ['| | |', '| --- | --- |', ...rows].join('\n');
}

function timelineTable(rows: readonly (readonly [string, string])[]): string {
  const lines = rows.map(([time, event]) => `| ${time.replace('T', ' ').slice(0, 19)} | ${escapeCell(event)} |`);
  return ['| Time | Event |', '| --- | --- |', ...lines].join('\n');
}

/**
 * Builds a body with the text cut so that the whole body fits GitHub's
 * limit. The template around the text stays whole.
 */
export function fitBody(text: string, build: (text: string) => string, maxLength: number = limits.github.body): string {
  const full = build(text);
  if (full.length <= maxLength) return full;

  const overshoot = full.length - maxLength;
  return build(truncateText(text, Math.max(0, text.length - overshoot)));
}
