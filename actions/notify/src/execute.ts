import * as core from '@actions/core';

import { appendSummary } from '@atom-actions/shared/summary';
import { readRunContext } from '@atom-actions/shared/notify/context';
import { buildNotification } from '@atom-actions/shared/notify/message';
import { resultsJson, resultsTable } from '@atom-actions/shared/notify/report';
import type { ChannelResult } from '@atom-actions/shared/notify/results';
import { sendNotification } from '@atom-actions/shared/notify/send';

import type { ActionSettings } from './settings.ts';

/**
 * Sends the notice to every configured channel, sets the per-channel
 * outputs and the job summary, and fails the step when a channel failed and
 * fail-on-error is true.
 */
export async function execute(settings: ActionSettings): Promise<void> {
  const notification = buildNotification(settings.event, settings.notify.message, readRunContext());
  core.info(`Sending the ${notification.event} notice (incident key ${notification.incidentKey}): ${notification.title}`);

  const results = await sendNotification(settings.notify, notification, { info: core.info, warning: core.warning });

  setOutputs(results, notification.incidentKey);
  await appendSummary(`## Notification: ${notification.title}\n\n${resultsTable(results)}\n`);

  const failed = results.filter((result) => result.status === 'failed');
  if (failed.length === 0) return;

  const message = `${failed.length} of ${results.length} channels failed: ${failed.map((result) => `${result.channel} (${result.detail})`).join('; ')}`;
  if (settings.notify.delivery.failOnError) core.setFailed(message);
  else core.warning(`${message}. fail-on-error is false, so the step succeeds.`);
}

function setOutputs(results: readonly ChannelResult[], incidentKey: string): void {
  const find = (channel: ChannelResult['channel']): ChannelResult | undefined => results.find((result) => result.channel === channel);
  const slack = find('slack-api') ?? find('slack-critical');
  const issue = find('github-issue');
  const pagerduty = find('pagerduty');

  core.setOutput('results', resultsJson(results));
  core.setOutput('incident-key', incidentKey);
  core.setOutput('slack-ts', slack?.slackTs ?? '');
  core.setOutput('slack-thread-ts', slack?.slackThreadTs ?? slack?.slackTs ?? '');
  core.setOutput('issue-number', issue?.issueNumber === undefined ? '' : String(issue.issueNumber));
  core.setOutput('issue-url', issue?.issueUrl ?? '');
  core.setOutput('pagerduty-dedup-key', pagerduty?.dedupKey ?? '');
  core.setOutput('passed', String(results.every((result) => result.status !== 'failed')));
}
