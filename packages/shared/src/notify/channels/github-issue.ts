import { getOctokit } from '@actions/github';

import { errorMessage } from '../../errors.ts';
import { eventTraits } from '../events.ts';
import { hasIncidentMarker } from '../incident-key.ts';
import type { Notification } from '../message.ts';
import { DeliveryError, type ChannelResult, type NotifyLog } from '../results.ts';
import type { DeliverySettings, GitHubSettings } from '../settings.ts';
import { createGitHubFetch } from './github-fetch.ts';
import { labelsFor, otherLabelColor, runbookLabels } from './github-labels.ts';
import { issueBody, issueComment, issueTitle, resolutionComment } from './issue-templates.ts';

type Octokit = ReturnType<typeof getOctokit>;

/** Open issues searched for the incident marker: 10 pages of 100, newest first. */
const maxIssuePages = 10;

interface FoundIssue {
  number: number;
  html_url: string;
  created_at: string;
  labels: string[];
}

/**
 * Keeps one GitHub issue per incident key. The issue is found by the hidden
 * marker in its body among the open issues (the issues list endpoint, which
 * is current, unlike search, which lags behind new issues). Events that open
 * an incident create the issue when none is open. Later notices comment on
 * it, and `resolved` comments with the post-mortem skeleton and closes it.
 * Missing labels are created first.
 */
export async function sendGitHubIssue(settings: GitHubSettings, notification: Notification, delivery: DeliverySettings, log: NotifyLog): Promise<ChannelResult> {
  const octokit = getOctokit(settings.token, { baseUrl: settings.apiUrl.href.replace(/\/+$/, ''), request: { fetch: createGitHubFetch(delivery, log) } });
  const [owner = '', repo = ''] = settings.repository.split('/');
  const github = { octokit, owner, repo, log };

  try {
    const issue = await findIncidentIssue(github, notification.incidentKey);
    const labels = labelsFor(notification, settings.labels);

    if (!issue) {
      if (!eventTraits(notification.event).opensIncident) {
        return { channel: 'github-issue', status: 'skipped', detail: `no open issue for incident ${notification.incidentKey}, and ${notification.event} does not open one` };
      }
      await ensureLabels(github, labels);
      return await createIssue(github, notification, labels);
    }

    await ensureLabels(github, labels);
    return await updateIssue(github, issue, notification, labels);
  } catch (error) {
    throw new DeliveryError(`GitHub issue: ${describeGitHubError(error)}`, 1);
  }
}

interface GitHubContext {
  octokit: Octokit;
  owner: string;
  repo: string;
  log: NotifyLog;
}

async function findIncidentIssue(github: GitHubContext, incidentKey: string): Promise<FoundIssue | undefined> {
  const pages = github.octokit.paginate.iterator(github.octokit.rest.issues.listForRepo, {
    owner: github.owner,
    repo: github.repo,
    state: 'open',
    sort: 'created',
    direction: 'desc',
    per_page: 100,
  });

  let page = 0;
  for await (const response of pages) {
    for (const issue of response.data) {
      if (issue.pull_request || !hasIncidentMarker(issue.body, incidentKey)) continue;
      const labels = issue.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? '')));
      return { number: issue.number, html_url: issue.html_url, created_at: issue.created_at, labels };
    }
    // NOTE: an incident issue older than the newest 1,000 open issues is not found, and a new one is opened.
    if (++page >= maxIssuePages) break;
  }
  return undefined;
}

async function ensureLabels(github: GitHubContext, labels: readonly string[]): Promise<void> {
  for (const name of labels) {
    try {
      await github.octokit.rest.issues.getLabel({ owner: github.owner, repo: github.repo, name });
      continue;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }

    const known = runbookLabels[name];
    try {
      await github.octokit.rest.issues.createLabel({ owner: github.owner, repo: github.repo, name, color: known?.color ?? otherLabelColor, description: known?.description ?? '' });
      github.log.info(`GitHub: created the missing label "${name}".`);
    } catch (error) {
      // 422 means another run created the label in the meantime.
      if (statusOf(error) !== 422) throw error;
    }
  }
}

async function createIssue(github: GitHubContext, notification: Notification, labels: string[]): Promise<ChannelResult> {
  const { data } = await github.octokit.rest.issues.create({
    owner: github.owner,
    repo: github.repo,
    title: issueTitle(notification),
    body: issueBody(notification),
    labels,
  });
  github.log.info(`GitHub: opened issue #${data.number} for incident ${notification.incidentKey} (${data.html_url}).`);
  return { channel: 'github-issue', status: 'sent', detail: `opened issue #${data.number}`, issueNumber: data.number, issueUrl: data.html_url };
}

async function updateIssue(github: GitHubContext, issue: FoundIssue, notification: Notification, labels: string[]): Promise<ChannelResult> {
  const issueNumber = issue.number;
  const resolving = notification.event === 'resolved';
  const body = resolving ? resolutionComment(notification, issue.created_at) : issueComment(notification);
  await github.octokit.rest.issues.createComment({ owner: github.owner, repo: github.repo, issue_number: issueNumber, body });

  const missing = labels.filter((label) => !issue.labels.includes(label));
  if (missing.length > 0) {
    await github.octokit.rest.issues.addLabels({ owner: github.owner, repo: github.repo, issue_number: issueNumber, labels: missing });
  }

  if (resolving) {
    await github.octokit.rest.issues.update({ owner: github.owner, repo: github.repo, issue_number: issueNumber, state: 'closed', state_reason: 'completed' });
    github.log.info(`GitHub: commented on and closed issue #${issueNumber}, the incident is resolved.`);
    return { channel: 'github-issue', status: 'sent', detail: `closed issue #${issueNumber}`, issueNumber, issueUrl: issue.html_url };
  }

  github.log.info(`GitHub: commented on issue #${issueNumber} of incident ${notification.incidentKey}.`);
  return { channel: 'github-issue', status: 'sent', detail: `commented on issue #${issueNumber}`, issueNumber, issueUrl: issue.html_url };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}

/** Describes an Octokit error with GitHub's status and message, such as `HTTP 422: Validation Failed`. */
function describeGitHubError(error: unknown): string {
  if (error instanceof DeliveryError) return error.message;
  const status = statusOf(error);
  return status === undefined ? errorMessage(error) : `HTTP ${status}: ${errorMessage(error)}`;
}
