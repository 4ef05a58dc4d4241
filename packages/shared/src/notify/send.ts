import { errorMessage } from '../errors.ts';
import { redact } from '../secrets.ts';
import { sendGitHubIssue } from './channels/github-issue.ts';
import { sendPagerDuty } from './channels/pagerduty.ts';
import { sendSlackApi } from './channels/slack-api.ts';
import { sendSlackWebhook } from './channels/slack-webhook.ts';
import { sendTeams } from './channels/teams.ts';
import { sendWebhook } from './channels/webhook.ts';
import { isCritical } from './events.ts';
import type { Notification } from './message.ts';
import { DeliveryError, type ChannelName, type ChannelResult, type NotifyLog } from './results.ts';
import type { NotifySettings } from './settings.ts';

/**
 * Sends the notice to every configured channel at once and returns one
 * result per channel, in a fixed order. A channel that fails does not stop
 * the others: its error becomes a `failed` result, and the caller decides
 * whether the step fails. Details and log lines are redacted of secrets.
 */
export async function sendNotification(settings: NotifySettings, notification: Notification, log: NotifyLog): Promise<ChannelResult[]> {
  const safeLog: NotifyLog = { info: (line) => log.info(redact(line)), warning: (line) => log.warning(redact(line)) };
  const delivery = settings.delivery;
  const tasks: [ChannelName, () => Promise<ChannelResult>][] = [];

  if (settings.slackWebhook) {
    const url = settings.slackWebhook.url;
    tasks.push(['slack-webhook', () => sendSlackWebhook(url, notification, delivery, safeLog)]);
  }
  if (settings.slackApi) {
    const slack = settings.slackApi;
    const context = { apiUrl: slack.apiUrl, token: slack.token, delivery, log: safeLog };
    if (slack.channel) tasks.push(['slack-api', () => sendSlackApi(context, slack.channel, 'slack-api', notification)]);
    if (slack.criticalChannel && isCritical(notification.event, notification.severity)) {
      tasks.push(['slack-critical', () => sendSlackApi(context, slack.criticalChannel, 'slack-critical', notification)]);
    }
  }
  if (settings.github) {
    const github = settings.github;
    tasks.push(['github-issue', () => sendGitHubIssue(github, notification, delivery, safeLog)]);
  }
  if (settings.pagerduty) {
    const pagerduty = settings.pagerduty;
    tasks.push(['pagerduty', () => sendPagerDuty(pagerduty, notification, delivery, safeLog)]);
  }
  if (settings.teams) {
    const url = settings.teams.url;
    tasks.push(['teams', () => sendTeams(url, notification, delivery, safeLog)]);
  }
  if (settings.webhook) {
    const webhook = settings.webhook;
    tasks.push(['webhook', () => sendWebhook(webhook, notification, delivery, safeLog)]);
  }

  const results = await Promise.all(tasks.map(([channel, task]) => runChannel(channel, task, safeLog)));
  return results.map((result) => ({ ...result, detail: redact(result.detail) }));
}

async function runChannel(channel: ChannelName, task: () => Promise<ChannelResult>, log: NotifyLog): Promise<ChannelResult> {
  let result: ChannelResult;
  try {
    result = await task();
  } catch (error) {
    const attempts = error instanceof DeliveryError ? error.attempts : undefined;
    result = { channel, status: 'failed', detail: errorMessage(error), ...(attempts ? { attempts } : {}) };
  }

  const line = `${channel}: ${result.status}, ${result.detail}`;
  if (result.status === 'failed') log.warning(line);
  else log.info(line);
  return result;
}
