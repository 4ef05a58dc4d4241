import * as fs from 'node:fs';

/** GitHub context of the workflow run that sends the notice. */
export interface RunContext {
  /** `owner/name`, or '' outside a workflow. */
  repository: string;
  serverUrl: string;
  runId: string;
  /** Link to the workflow run, or '' when the run is unknown. */
  runUrl: string;
  actor: string;
  sha: string;
  ref: string;
  workflow: string;
  /** Message of the head commit from the event payload, or ''. */
  commitMessage: string;
  /** Link to the head commit, or ''. */
  commitUrl: string;
}

/**
 * Reads the run's context from the variables the runner sets and the head
 * commit message from the event payload at GITHUB_EVENT_PATH (`head_commit`
 * of a push, or of the run behind a `workflow_run`). Missing values are ''.
 */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const repository = env['GITHUB_REPOSITORY'] ?? '';
  const serverUrl = (env['GITHUB_SERVER_URL'] ?? 'https://github.com').replace(/\/+$/, '');
  const runId = env['GITHUB_RUN_ID'] ?? '';
  const sha = env['GITHUB_SHA'] ?? '';
  const payload = readEventPayload(env['GITHUB_EVENT_PATH']);

  return {
    repository,
    serverUrl,
    runId,
    runUrl: repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : '',
    actor: env['GITHUB_ACTOR'] ?? '',
    sha,
    ref: env['GITHUB_REF'] ?? '',
    workflow: env['GITHUB_WORKFLOW'] ?? '',
    commitMessage: headCommitMessage(payload),
    commitUrl: repository && sha ? `${serverUrl}/${repository}/commit/${sha}` : '',
  };
}

function readEventPayload(file: string | undefined): unknown {
  if (!file) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    // NOTE: an unreadable payload only costs the commit message, so it is not an error.
    return undefined;
  }
}

function headCommitMessage(payload: unknown): string {
  const candidates = [property(payload, 'head_commit'), property(property(payload, 'workflow_run'), 'head_commit')];
  for (const commit of candidates) {
    const message = property(commit, 'message');
    if (typeof message === 'string') return message;
  }
  return '';
}

function property(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as Record<string, unknown>)[key];
}
