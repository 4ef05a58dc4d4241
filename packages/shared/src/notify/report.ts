import { markdownTable, statusLabel, type Status } from '../summary.ts';
import { registerSecret } from '../secrets.ts';
import type { ChannelResult } from './results.ts';
import { notifySecrets, type NotifySettings } from './settings.ts';

/** Masks every secret of the settings in the runner's log and registers it for redaction. Call it before any log line. */
export function registerNotifySecrets(settings: NotifySettings): void {
  for (const secret of notifySecrets(settings)) registerSecret(secret);
}

const summaryStatus: Record<ChannelResult['status'], Status> = { sent: 'pass', failed: 'fail', skipped: 'skip' };

/** Builds the job summary table: one row per channel with its status and detail. */
export function resultsTable(results: readonly ChannelResult[]): string {
  if (results.length === 0) return '_No channel is configured._';
  return markdownTable(
    ['Channel', 'Status', 'Detail'],
    results.map((result) => [result.channel, statusLabel(summaryStatus[result.status]), result.detail]),
  );
}

/** Builds the `results` output: each channel's status, detail and ids, keyed by channel. */
export function resultsJson(results: readonly ChannelResult[]): string {
  return JSON.stringify(Object.fromEntries(results.map(({ channel, ...rest }) => [channel, rest])));
}
