/**
 * The events of the release runbook and what each one means for the
 * channels: its default severity, whether it opens an incident, and the
 * colour that Slack and Teams show.
 */

/** Event names accepted by the `event` input. */
export const eventNames = [
  'deploy-started',
  'deploy-succeeded',
  'deploy-failed',
  'canary-step',
  'canary-aborted',
  'rollback',
  'emergency-rollback',
  'incident',
  'resolved',
  'custom',
] as const;

/** One event of the runbook. `resolved` closes the incident that earlier events opened. */
export type EventName = (typeof eventNames)[number];

/** Severity levels of the runbook: P0 is the most urgent. */
export const severities = ['P0', 'P1', 'P2'] as const;

/** A runbook severity level. */
export type Severity = (typeof severities)[number];

/** Presentation and routing traits of an event. */
export interface EventTraits {
  /** Severity used when the `severity` input is empty; undefined for informational events. */
  defaultSeverity: Severity | undefined;
  /** Whether the event opens an incident: a GitHub issue and a PagerDuty alert. */
  opensIncident: boolean;
  /** Labels the GitHub issue receives for this event, before severity labels. */
  labels: readonly string[];
  /** The word shown as the incident's status. */
  status: string;
}

const traits: Record<EventName, EventTraits> = {
  'deploy-started': { defaultSeverity: undefined, opensIncident: false, labels: [], status: 'deploying' },
  'deploy-succeeded': { defaultSeverity: undefined, opensIncident: false, labels: [], status: 'deployed' },
  'deploy-failed': { defaultSeverity: 'P2', opensIncident: true, labels: ['incident'], status: 'deploy failed' },
  'canary-step': { defaultSeverity: undefined, opensIncident: false, labels: [], status: 'canary in progress' },
  'canary-aborted': { defaultSeverity: 'P2', opensIncident: true, labels: ['incident'], status: 'canary aborted' },
  rollback: { defaultSeverity: 'P1', opensIncident: true, labels: ['rollback'], status: 'rolled back' },
  'emergency-rollback': { defaultSeverity: 'P0', opensIncident: true, labels: ['rollback', 'incident'], status: 'emergency rollback' },
  incident: { defaultSeverity: 'P1', opensIncident: true, labels: ['incident'], status: 'investigating' },
  resolved: { defaultSeverity: undefined, opensIncident: false, labels: [], status: 'resolved' },
  custom: { defaultSeverity: undefined, opensIncident: false, labels: [], status: 'update' },
};

/** Returns how an event is presented and routed. */
export function eventTraits(event: EventName): EventTraits {
  return traits[event];
}

/** Colour of a message: red for P0, orange for P1, yellow for P2, green for good news, grey otherwise. */
export function eventColor(event: EventName, severity: Severity | undefined): string {
  if (severity === 'P0') return '#d00000';
  if (severity === 'P1') return '#e8590c';
  if (severity === 'P2') return '#f2c744';
  if (event === 'deploy-succeeded' || event === 'resolved') return '#2eb67d';
  return '#868e96';
}

/** Returns whether a notice belongs in the critical channel: P0 or an emergency rollback. */
export function isCritical(event: EventName, severity: Severity | undefined): boolean {
  return severity === 'P0' || event === 'emergency-rollback';
}
