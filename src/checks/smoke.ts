import { runSmokeTest } from '@atom-actions/shared/smoke/runner';
import type { CheckResult, SmokeConfig, SmokeReport } from '@atom-actions/shared/smoke/model';

import type { ChecklistLine } from '../checklist.ts';
import type { VerifyLog } from '../verify-log.ts';

/** Runs the three health endpoints and returns one line each. */
export async function checkHealth(config: SmokeConfig, log: VerifyLog): Promise<ChecklistLine[]> {
  const report = await runSmokeTest(config, prefixedLog('Health', log));
  return report.checks.map((check) => healthLine(check));
}

function healthLine(check: CheckResult): ChecklistLine {
  const latency = check.latencyMs !== undefined ? ` in ${Math.round(check.latencyMs)} ms` : '';
  const value = check.status !== undefined ? `HTTP ${check.status}${latency}` : 'no response';
  const path = new URL(check.url).pathname;
  const expected = path.endsWith('/ready') ? 'HTTP 200, status ready' : 'HTTP 200, status healthy';
  return {
    item: 'health',
    name: path,
    result: check.outcome === 'passed' ? 'pass' : 'fail',
    value,
    threshold: expected,
    detail: check.outcome === 'passed' ? `Passed after ${check.attempts} attempt(s).` : (check.reason ?? 'failed'),
    ...(check.bodyExcerpt && check.outcome !== 'passed' ? { excerpts: [check.bodyExcerpt] } : {}),
  };
}

/** Runs the user's smoke test and returns a line for the checks and, with a budget, one for P95 latency. */
export async function checkSmoke(config: SmokeConfig, log: VerifyLog): Promise<{ lines: ChecklistLine[]; report: SmokeReport }> {
  const report = await runSmokeTest(config, prefixedLog('Smoke', log));
  const failed = report.checks.filter((check) => check.outcome !== 'passed');
  const passedCount = report.total - report.failed - report.skipped;
  const lines: ChecklistLine[] = [
    {
      item: 'smoke',
      name: 'checks passed',
      result: report.failed === 0 && report.skipped === 0 ? 'pass' : 'fail',
      value: `${passedCount}/${report.total}`,
      threshold: `${report.total}/${report.total}`,
      detail: failed.length === 0 ? 'Every check passed.' : failed.map((check) => `${check.name}: ${check.reason ?? check.outcome}`).join('; '),
      ...(failed.some((check) => check.bodyExcerpt) ? { excerpts: failed.flatMap((check) => (check.bodyExcerpt ? [`${check.name}: ${check.bodyExcerpt}`] : [])) } : {}),
    },
  ];

  if (report.p95BudgetMs !== undefined) {
    const p95 = report.latency.p95Ms;
    const within = p95 !== undefined && p95 < report.p95BudgetMs;
    lines.push({
      item: 'smoke',
      name: 'P95 latency',
      result: within ? 'pass' : 'fail',
      value: p95 !== undefined ? `${Math.round(p95)} ms` : 'no responses',
      threshold: `< ${report.p95BudgetMs} ms`,
      detail: report.budgetFailure ?? `P95 over ${report.latency.samples} responses.`,
    });
  }
  return { lines, report };
}

function prefixedLog(prefix: string, log: VerifyLog): VerifyLog {
  return { info: (message) => log.info(`${prefix}: ${message}`), warning: (message) => log.warning(`${prefix}: ${message}`) };
}
