import { formatDuration } from '../duration.ts';
import { redact } from '../secrets.ts';
import { markdownTable, statusIcon, statusLabel, type Status } from '../summary.ts';
import type { CheckResult, SmokeReport } from './model.ts';

const excerptLength = 120;

/**
 * Renders a report as job summary Markdown: a headline, one table row per
 * check (result, attempts, status, latency, and for a failure its reason
 * with the start of the body), and the latency percentiles against the P95
 * budget. Every cell is redacted of registered secrets.
 */
export function renderSmokeSummary(report: SmokeReport): string {
  const notPassed = report.failed + report.skipped;
  const headline = report.passed
    ? `## ${statusIcon('pass')} Smoke test passed: ${report.total} of ${report.total} checks`
    : `## ${statusIcon('fail')} Smoke test failed: ${notPassed > 0 ? `${notPassed} of ${report.total} checks did not pass` : 'P95 latency over budget'}`;

  const environment = report.environment ? `, environment ${report.environment}` : '';
  const context = `Base URL ${redact(report.baseUrl)}${environment}; ran for ${formatDuration(report.durationMs)}.`;

  const rows = report.checks.map((check) => [
    check.name,
    statusLabel(checkStatus(check)),
    check.attempts,
    check.status ?? '-',
    formatLatency(check),
    describeFailure(check),
  ]);
  const checks = markdownTable(['check', 'result', 'attempts', 'status', 'latency', 'reason'], rows);

  const latency = report.latency;
  const budget = report.p95BudgetMs !== undefined ? `${report.p95BudgetMs} ms${report.environment ? ` (${report.environment})` : ''}` : 'none';
  let budgetStatus: Status = 'info';
  if (report.p95BudgetMs !== undefined) budgetStatus = report.budgetFailure ? 'fail' : 'pass';
  const percentiles = markdownTable(
    ['P50', 'P95', 'P99', 'samples', 'P95 budget', 'result'],
    [[formatMs(latency.p50Ms), formatMs(latency.p95Ms), formatMs(latency.p99Ms), latency.samples, budget, statusLabel(budgetStatus)]],
  );

  const sections = [headline, '', context, '', checks, '', '### Latency', '', percentiles];
  if (report.budgetFailure) sections.push('', `${statusLabel('fail')}: ${report.budgetFailure}.`);
  return `${sections.join('\n')}\n`;
}

function checkStatus(check: CheckResult): Status {
  if (check.outcome === 'passed') return 'pass';
  return check.outcome === 'skipped' ? 'skip' : 'fail';
}

function formatLatency(check: CheckResult): string {
  if (check.latencyMs === undefined) return '-';
  const budget = check.latencyBudgetMs !== undefined ? ` / ${check.latencyBudgetMs} ms` : '';
  return `${Math.round(check.latencyMs)} ms${budget}`;
}

function describeFailure(check: CheckResult): string {
  if (!check.reason) return '';
  if (!check.bodyExcerpt) return check.reason;
  const excerpt = check.bodyExcerpt.length > excerptLength ? `${check.bodyExcerpt.slice(0, excerptLength)}…` : check.bodyExcerpt;
  return `${check.reason}\nBody: ${excerpt}`;
}

function formatMs(value: number | undefined): string {
  return value === undefined ? '-' : `${value} ms`;
}
