import type { RunContext } from './context.ts';
import { eventTraits, type EventName, type Severity } from './events.ts';
import { deriveIncidentKey } from './incident-key.ts';
import { renderTemplate, type TemplateVariable } from './templates.ts';

/** Message inputs of a notice, before the GitHub context is added. */
export interface MessageInputs {
  environment: string;
  version: string;
  revision: string;
  reason: string;
  /** Undefined means the event's default severity. */
  severity: Severity | undefined;
  details: string;
  /** `{{ variable }}` templates; '' means the event's default title or text. */
  titleTemplate: string;
  textTemplate: string;
  /** '' means the key derived from repository, environment and version. */
  incidentKey: string;
}

/** One labelled value shown as a Slack field, a Teams fact or an issue table row. */
export interface Field {
  label: string;
  value: string;
}

/** A notice ready for the channels: the event, its rendered texts and its context. */
export interface Notification {
  event: EventName;
  severity: Severity | undefined;
  status: string;
  title: string;
  text: string;
  fields: Field[];
  environment: string;
  version: string;
  revision: string;
  reason: string;
  details: string;
  incidentKey: string;
  context: RunContext;
  /** ISO 8601 time the notice was built. */
  timestamp: string;
}

/**
 * Builds the notice for an event: the default title and text of the event,
 * or the user's templates rendered with the same variables, plus the fields
 * every channel shows.
 */
export function buildNotification(event: EventName, inputs: MessageInputs, context: RunContext, now: Date = new Date()): Notification {
  const severity = inputs.severity ?? eventTraits(event).defaultSeverity;
  const status = eventTraits(event).status;
  const incidentKey = inputs.incidentKey || deriveIncidentKey({ ...inputs, repository: context.repository, sha: context.sha });
  const values = templateValues(event, status, severity, incidentKey, inputs, context);

  const title = inputs.titleTemplate ? renderTemplate(inputs.titleTemplate, values) : defaultTitle(event, inputs, severity, context);
  const text = inputs.textTemplate ? renderTemplate(inputs.textTemplate, values) : defaultText(event, inputs, context);

  return {
    event,
    severity,
    status,
    title,
    text,
    fields: buildFields(severity, status, inputs, context),
    environment: inputs.environment,
    version: inputs.version,
    revision: inputs.revision,
    reason: inputs.reason,
    details: inputs.details,
    incidentKey,
    context,
    timestamp: now.toISOString(),
  };
}

function templateValues(
  event: EventName,
  status: string,
  severity: Severity | undefined,
  incidentKey: string,
  inputs: MessageInputs,
  context: RunContext,
): Record<TemplateVariable, string> {
  return {
    event,
    status,
    environment: inputs.environment,
    version: inputs.version,
    revision: inputs.revision,
    reason: inputs.reason,
    severity: severity ?? '',
    details: inputs.details,
    incident_key: incidentKey,
    repository: context.repository,
    run_url: context.runUrl,
    actor: context.actor,
    sha: context.sha,
    short_sha: context.sha.slice(0, 7),
    ref: context.ref,
    workflow: context.workflow,
    commit_message: context.commitMessage,
    commit_url: context.commitUrl,
  };
}

/** Builds the default one-line title of an event, such as `🚨 Emergency rollback of production (v1.4.2)`. */
export function defaultTitle(event: EventName, inputs: MessageInputs, severity: Severity | undefined, context: RunContext): string {
  const where = inputs.environment ? ` ${inputs.environment}` : '';
  const to = inputs.environment ? ` to ${inputs.environment}` : '';
  const inWhere = inputs.environment ? ` in ${inputs.environment}` : '';
  const release = inputs.version || inputs.revision || context.sha.slice(0, 7);
  const of = release ? ` of ${release}` : '';
  const from = release ? ` from ${release}` : '';
  const prefix = severity ? `[${severity}] ` : '';

  switch (event) {
    case 'deploy-started':
      return `🚀 Deploy${of}${to} started`;
    case 'deploy-succeeded':
      return `✅ Deploy${of}${to} succeeded`;
    case 'deploy-failed':
      return `${prefix}❌ Deploy${of}${to} failed`;
    case 'canary-step':
      return `🐤 Canary${of}${inWhere} advanced`;
    case 'canary-aborted':
      return `${prefix}🛑 Canary${of}${inWhere} aborted`;
    case 'rollback':
      return `${prefix}⏪ Rolled back${where}${from}`;
    case 'emergency-rollback':
      return `${prefix}🚨 Emergency rollback of${where || ' the service'}${from}`;
    case 'incident':
      return `${prefix}🔥 Incident${inWhere}${release ? ` (${release})` : ''}`;
    case 'resolved':
      return `✅ Resolved${inWhere}${release ? ` (${release})` : ''}`;
    case 'custom':
      return `📣 ${context.repository || 'Deployment'} notice${inWhere}`;
  }
}

/** Builds the default body of an event: the reason, the details and who triggered it. */
export function defaultText(event: EventName, inputs: MessageInputs, context: RunContext): string {
  const lines: string[] = [];
  if (inputs.reason) lines.push(`Reason: ${inputs.reason}`);
  if (inputs.details) lines.push(inputs.details);
  if (event === 'resolved' && !inputs.reason) lines.push('The incident is resolved.');

  const by = context.actor ? ` by ${context.actor}` : '';
  const repository = context.repository ? ` in ${context.repository}` : '';
  if (lines.length === 0 || by || repository) lines.push(`Triggered${by}${repository}.`);
  return lines.join('\n\n');
}

function buildFields(severity: Severity | undefined, status: string, inputs: MessageInputs, context: RunContext): Field[] {
  const fields: Field[] = [
    { label: 'Environment', value: inputs.environment },
    { label: 'Version', value: inputs.version },
    { label: 'Revision', value: inputs.revision },
    { label: 'Severity', value: severity ?? '' },
    { label: 'Status', value: status },
    { label: 'Actor', value: context.actor },
    { label: 'Commit', value: context.sha.slice(0, 7) },
    { label: 'Commit message', value: context.commitMessage },
  ];
  return fields.filter((field) => field.value !== '');
}
