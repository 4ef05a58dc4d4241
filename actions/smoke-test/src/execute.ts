import * as fs from 'node:fs/promises';
import * as path from 'node:path';

import * as core from '@actions/core';

import { renderJunitReport } from '@atom-actions/shared/smoke/junit';
import type { SmokeReport } from '@atom-actions/shared/smoke/model';
import { writeJsonReport } from '@atom-actions/shared/smoke/report';
import { runSmokeTest } from '@atom-actions/shared/smoke/runner';
import { renderSmokeSummary } from '@atom-actions/shared/smoke/summary';
import { appendSummary } from '@atom-actions/shared/summary';

import type { SmokeTestSettings } from './settings.ts';

/** Runs the smoke test, writes the reports, the job summary and the outputs, and fails the step on a failed check. */
export async function execute(settings: SmokeTestSettings): Promise<void> {
  const report = await runSmokeTest(settings.smoke, { info: (message) => core.info(message), warning: (message) => core.warning(message) });

  await writeJsonReport(report, settings.reportPath);
  core.info(`Wrote the JSON report to ${settings.reportPath}`);
  if (settings.junitPath) {
    await fs.mkdir(path.dirname(settings.junitPath), { recursive: true });
    await fs.writeFile(settings.junitPath, renderJunitReport(report));
    core.info(`Wrote the JUnit report to ${settings.junitPath}`);
  }
  await appendSummary(renderSmokeSummary(report));

  setOutputs(report, settings.reportPath);
  reportOutcome(report, settings.failOnError);
}

function setOutputs(report: SmokeReport, reportPath: string): void {
  core.setOutput('passed', String(report.passed));
  core.setOutput('total', String(report.total));
  core.setOutput('failed', String(report.failed + report.skipped));
  core.setOutput('p50-ms', report.latency.p50Ms ?? '');
  core.setOutput('p95-ms', report.latency.p95Ms ?? '');
  core.setOutput('p99-ms', report.latency.p99Ms ?? '');
  core.setOutput('report', reportPath);
}

function reportOutcome(report: SmokeReport, failOnError: boolean): void {
  const latency = report.latency;
  core.info(`Latency over ${latency.samples} responses: P50 ${latency.p50Ms ?? '-'} ms, P95 ${latency.p95Ms ?? '-'} ms, P99 ${latency.p99Ms ?? '-'} ms` + (report.p95BudgetMs !== undefined ? ` (P95 budget ${report.p95BudgetMs} ms)` : ''));

  const annotate = failOnError ? core.error : core.warning;
  for (const check of report.checks) {
    if (check.outcome === 'failed') annotate(`Check "${check.name}" failed: ${check.reason}`);
  }
  if (report.budgetFailure) annotate(report.budgetFailure);

  if (report.passed) {
    core.info(`Smoke test passed: ${report.total} of ${report.total} checks`);
    return;
  }
  const notPassed = report.failed + report.skipped;
  const headline = `Smoke test failed: ${notPassed} of ${report.total} checks did not pass${report.budgetFailure ? ` and ${report.budgetFailure}` : ''}`;
  if (failOnError) {
    process.exitCode = 1;
    core.info(headline);
  } else {
    core.warning(`${headline} (fail-on-error is false, so the step succeeds)`);
  }
}
