/** Outcome of one channel: sent, failed after its retries, or skipped because the event does not concern it. */
export type ChannelStatus = 'sent' | 'failed' | 'skipped';

/** Channel names as they appear in the `results` output and the job summary. */
export type ChannelName = 'slack-webhook' | 'slack-api' | 'slack-critical' | 'github-issue' | 'pagerduty' | 'teams' | 'webhook';

/** Outcome of one channel for one notice. */
export interface ChannelResult {
  channel: ChannelName;
  status: ChannelStatus;
  /** One line for the release manager: what was done, or the service's error. */
  detail: string;
  /** HTTP attempts of the last request, retries included. */
  attempts?: number;
  /** Slack message timestamp of the posted message (Web API only). */
  slackTs?: string;
  /** Slack timestamp of the incident's parent message when the notice went into its thread. */
  slackThreadTs?: string;
  issueNumber?: number;
  issueUrl?: string;
  dedupKey?: string;
}

/** Receives the progress lines of a delivery, already free of secrets. */
export interface NotifyLog {
  info(line: string): void;
  warning(line: string): void;
}

/** A delivery that failed with a message meant for the release manager. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly attempts: number;

  constructor(message: string, attempts: number) {
    super(message);
    this.attempts = attempts;
  }
}
