import { formatDuration } from '../duration.ts';
import { countOf } from '../plural.ts';
import { redact, redactUrl, registerSecret } from '../secrets.ts';
import { runCheck, type CheckContext } from './check-runner.ts';
import { dependencyGraph } from './dependencies.ts';
import { registerSecretHeaders } from './inputs.ts';
import type { CheckResult, SmokeCheck, SmokeConfig, SmokeLog, SmokeReport } from './model.ts';
import { latencyPercentiles } from './percentiles.ts';
import { createDispatcher } from './tls.ts';

/**
 * Runs every check of the configuration and returns the report. Checks run
 * up to `concurrency` at a time. A check that uses a capture starts after
 * the check that captures it has passed, and is skipped when that check
 * fails. Masks the password and secret header values before the first
 * request. Never throws for a failed check, because the report records it.
 */
export async function runSmokeTest(config: SmokeConfig, log: SmokeLog): Promise<SmokeReport> {
  registerSecrets(config);
  const safeLog: SmokeLog = { info: (message) => log.info(redact(message)), warning: (message) => log.warning(redact(message)) };

  const startedAt = Date.now();
  const dispatcher = createDispatcher(config.tls, safeLog);
  const values = new Map<string, string>([
    ['username', config.credentials.username],
    ['password', config.credentials.password],
  ]);
  const context: CheckContext = { config, values, dispatcher, deadline: startedAt + config.timeoutMs, startedAt, log: safeLog };

  safeLog.info(describeRun(config));
  let results: CheckResult[];
  try {
    results = await runScheduled(config.checks, dependencyGraph('checks', config.checks), context, values);
  } finally {
    await dispatcher.close();
  }
  return buildReport(config, results, startedAt);
}

/** Masks the configuration's secrets again, for callers that built the configuration without readSmokeInputs. */
function registerSecrets(config: SmokeConfig): void {
  registerSecret(config.credentials.password);
  registerSecretHeaders(config.checks);
}

function describeRun(config: SmokeConfig): string {
  const budget = config.p95BudgetMs !== undefined ? `, P95 budget ${config.p95BudgetMs} ms${config.environment ? ` (${config.environment})` : ''}` : '';
  return (
    `Running ${config.checks.length} smoke checks against ${redactUrl(config.baseUrl)}: concurrency ${config.concurrency}, ` +
    `timeout ${formatDuration(config.timeoutMs)}, ${countOf(config.retry.retries, 'retry', 'retries')} per check, warm-up ${formatDuration(config.retry.warmUpMs)}${budget}`
  );
}

/**
 * Starts checks in their listed order as soon as their dependencies have
 * settled and a slot is free. `values` is the map that `context` reads
 * templates from; each passed check adds its captures to it.
 */
async function runScheduled(
  checks: readonly SmokeCheck[],
  graph: readonly number[][],
  context: CheckContext,
  values: Map<string, string>,
): Promise<CheckResult[]> {
  const results: (CheckResult | undefined)[] = new Array(checks.length).fill(undefined);
  const pending = checks.map((_check, index) => index);
  const running = new Map<number, Promise<void>>();

  while (pending.length > 0 || running.size > 0) {
    for (const index of [...pending]) {
      if (running.size >= context.config.concurrency) break;
      const dependencies = graph[index] ?? [];
      if (dependencies.some((dependency) => results[dependency] === undefined)) continue;

      pending.splice(pending.indexOf(index), 1);
      const check = checks[index] as SmokeCheck;
      const failedDependency = dependencies.find((dependency) => results[dependency]?.outcome !== 'passed');
      if (failedDependency !== undefined) {
        results[index] = skipped(check, checks[failedDependency]?.name ?? '', context);
        continue;
      }

      const task = runCheck(check, context).then((run) => {
        for (const [name, value] of run.captured) values.set(name, value);
        results[index] = run.result;
        running.delete(index);
      });
      running.set(index, task);
    }

    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  return checks.map((check, index) => results[index] ?? skipped(check, '', context));
}

function skipped(check: SmokeCheck, dependency: string, context: CheckContext): CheckResult {
  const reason = dependency ? `skipped because check "${dependency}", whose capture it uses, did not pass` : 'not started';
  context.log.info(`- ${check.name}: ${reason}`);
  return {
    name: check.name,
    method: check.method,
    url: '',
    outcome: 'skipped',
    attempts: 0,
    latencySamplesMs: [],
    latencyBudgetMs: check.expect.latencyMs,
    failureKind: 'dependency',
    reason,
    redirects: [],
    durationMs: 0,
  };
}

function buildReport(config: SmokeConfig, checks: CheckResult[], startedAt: number): SmokeReport {
  const latency = latencyPercentiles(checks.flatMap((check) => check.latencySamplesMs));
  const failed = checks.filter((check) => check.outcome === 'failed').length;
  const skippedCount = checks.filter((check) => check.outcome === 'skipped').length;

  let budgetFailure: string | undefined;
  if (config.p95BudgetMs !== undefined && latency.p95Ms !== undefined && latency.p95Ms > config.p95BudgetMs) {
    const source = config.environment ? ` (${config.environment})` : '';
    budgetFailure = `P95 latency ${latency.p95Ms} ms is over the ${config.p95BudgetMs} ms budget${source}`;
  }

  return {
    passed: failed === 0 && skippedCount === 0 && budgetFailure === undefined,
    baseUrl: redactUrl(config.baseUrl),
    environment: config.environment,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Date.now() - startedAt,
    total: checks.length,
    failed,
    skipped: skippedCount,
    latency,
    p95BudgetMs: config.p95BudgetMs,
    budgetFailure,
    checks,
  };
}
