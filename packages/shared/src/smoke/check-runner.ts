import { countOf } from '../plural.ts';
import { backoffDelay, sleep } from '../backoff.ts';
import { formatDuration } from '../duration.ts';
import { redact, registerSecret } from '../secrets.ts';
import { runAttempt, type AttemptContext, type AttemptRecord } from './attempt.ts';
import type { CheckResult, SmokeCheck, SmokeLog } from './model.ts';

/** The run state a check reads besides the check itself. */
export interface CheckContext extends AttemptContext {
  log: SmokeLog;
  /** Epoch milliseconds at which the run started, for the warm-up window. */
  startedAt: number;
}

/** The outcome of a check, and the values it captured when it passed. */
export interface CheckRun {
  result: CheckResult;
  captured: Map<string, string>;
}

/**
 * Runs a check until it passes, fails for good, or the run's timeout passes.
 * A check passes after `consecutiveSuccesses` passing attempts in a row.
 * Failed attempts are retried with exponential backoff (honouring
 * `Retry-After`) when the failure is transient: no connection, a reset, a
 * request timeout, 429, any 5xx, and 404 during the warm-up window.
 * Captured secret values are registered for masking before anything logs them.
 */
export async function runCheck(check: SmokeCheck, context: CheckContext): Promise<CheckRun> {
  const started = Date.now();
  const { retry } = context.config;
  let attempts = 0;
  let retriesUsed = 0;
  let streak: number[] = [];

  for (;;) {
    attempts++;
    const record = await runAttempt(check, context);

    if (!record.failure) {
      streak.push(record.latencyMs ?? 0);
      if (streak.length >= check.consecutiveSuccesses) return passed(check, record, attempts, streak, started, context);

      const wait = Math.max(retry.initialDelayMs, 100);
      context.log.info(`${check.name}: attempt ${attempts} passed in ${formatMs(record.latencyMs)}, ${streak.length} of ${check.consecutiveSuccesses} consecutive successes; next attempt in ${wait} ms`);
      if (Date.now() + wait >= context.deadline) return failed(check, record, attempts, started, context, `passed ${streak.length} of ${check.consecutiveSuccesses} consecutive attempts before the run's timeout`);
      await sleep(wait);
      continue;
    }

    streak = [];
    const retryReason = reasonToRetry(check, record, context);
    if (!retryReason) return failed(check, record, attempts, started, context);
    if (retriesUsed >= retry.retries) return failed(check, record, attempts, started, context, `gave up after ${countOf(retry.retries, 'retry', 'retries')}`);

    retriesUsed++;
    const delay = record.retryAfterMs ?? backoffDelay(retriesUsed, { initialDelayMs: retry.initialDelayMs, maxDelayMs: retry.maxDelayMs, multiplier: 2 });
    if (Date.now() + delay >= context.deadline) return failed(check, record, attempts, started, context, "no time left to retry before the run's timeout");

    const source = record.retryAfterMs !== undefined ? ' (Retry-After)' : '';
    context.log.info(redact(`${check.name}: attempt ${attempts} failed: ${record.failure?.reason}; ${retryReason}, retry ${retriesUsed} of ${retry.retries} in ${delay} ms${source}`));
    await sleep(delay);
  }
}

function reasonToRetry(check: SmokeCheck, record: AttemptRecord, context: CheckContext): string | undefined {
  if (!check.retry || !record.failure) return undefined;

  const kind = record.failure.kind;
  if (kind === 'connection-refused' || kind === 'connection-reset' || kind === 'timeout') return 'the service may still be starting';

  const status = record.status;
  if (kind !== 'status' || status === undefined) return undefined;
  if (status === 429) return 'the service asked to slow down';
  if (status >= 500) return 'a server error may be transient';

  const warmUpLeft = context.startedAt + context.config.retry.warmUpMs - Date.now();
  if (status === 404 && warmUpLeft > 0) return `routes may still be propagating (warm-up ends in ${formatDuration(warmUpLeft)})`;
  return undefined;
}

function passed(check: SmokeCheck, record: AttemptRecord, attempts: number, samples: number[], started: number, context: CheckContext): CheckRun {
  for (const capture of check.captures) {
    if (capture.secret) registerSecret(record.captured.get(capture.name));
  }

  const budget = check.expect.latencyMs !== undefined ? ` (budget ${check.expect.latencyMs} ms)` : '';
  const captures = check.captures.length > 0 ? `, captured ${check.captures.map((capture) => capture.name).join(', ')}` : '';
  context.log.info(redact(`✓ ${check.name}: ${check.method} ${record.url} → HTTP ${record.status} in ${formatMs(record.latencyMs)}${budget}, ${countOf(attempts, 'attempt')}${captures}`));

  return { result: { ...baseResult(check, record, attempts, started), outcome: 'passed', latencySamplesMs: samples }, captured: record.captured };
}

function failed(check: SmokeCheck, record: AttemptRecord, attempts: number, started: number, context: CheckContext, note?: string): CheckRun {
  const reason = note ? `${record.failure?.reason ?? 'failed'} (${note})` : (record.failure?.reason ?? 'failed');
  context.log.info(redact(`✗ ${check.name}: ${check.method} ${record.url}: ${reason}, after ${countOf(attempts, 'attempt')}`));

  return {
    result: {
      ...baseResult(check, record, attempts, started),
      outcome: 'failed',
      latencySamplesMs: record.latencyMs !== undefined ? [record.latencyMs] : [],
      failureKind: record.failure?.kind ?? 'other',
      reason: redact(reason),
      bodyExcerpt: record.bodyExcerpt !== undefined ? redact(record.bodyExcerpt) : undefined,
    },
    captured: new Map(),
  };
}

function baseResult(check: SmokeCheck, record: AttemptRecord, attempts: number, started: number): Omit<CheckResult, 'outcome' | 'latencySamplesMs'> {
  return {
    name: check.name,
    method: check.method,
    url: record.url,
    attempts,
    status: record.status,
    latencyMs: record.latencyMs,
    latencyBudgetMs: check.expect.latencyMs,
    redirects: record.redirects,
    durationMs: Date.now() - started,
  };
}

function formatMs(milliseconds: number | undefined): string {
  return milliseconds === undefined ? 'no time' : `${Math.round(milliseconds)} ms`;
}

