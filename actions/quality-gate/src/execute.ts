import * as core from '@actions/core';
import { countOf } from '@atom-actions/shared/plural';
import { appendSummary } from '@atom-actions/shared/summary';

import { annotate } from './annotations.ts';
import { coveragePercent } from './coverage/combine.ts';
import { evaluateGates, type Measurements } from './gates/evaluate.ts';
import type { GateResult } from './gates/gate.ts';
import type { OrderOutcome } from './order/compare.ts';
import { ReportError } from './report/errors.ts';
import { findFiles } from './report/find.ts';
import { readCoverageReports, readStaticAnalysisReports, readTestReports, relativeName, ReportProblems, type TestReading } from './report/read-reports.ts';
import type { QualityGateSettings } from './settings.ts';
import { buildSummary } from './summary.ts';

/** Reads the reports, runs the order checks, evaluates the gates, and fails the step when a `fail` gate fails. */
export async function execute(settings: QualityGateSettings): Promise<void> {
  const problems = new ReportProblems();

  const testFiles = await matchInput('test-reports', settings.testReports, settings, problems);
  const coverageFiles = await matchInput('coverage-reports', settings.coverageReports, settings, problems);
  const sarifFiles = await matchInput('sarif-reports', settings.sarifReports, settings, problems);

  const tests = await readTestReports(testFiles, problems);
  const coverage = await readCoverageReports(coverageFiles, settings.workspace, problems);
  const findings = await readStaticAnalysisReports(sarifFiles, problems);
  const order = await runOrder(settings, problems);

  const counts = tests.results.counts();
  const duration = measureDuration(tests, order, settings.duration.parallelReports);
  const measurements: Measurements = { unreadable: problems.unreadable, counts, order, durationSeconds: duration.seconds, durationSource: duration.source, coverage, findings };
  const gates = evaluateGates(measurements, settings);
  logGates(gates);

  const passed = !gates.some((gate) => gate.status === 'fail');
  const failing = tests.results.failing();
  setOutputs(passed, gates, measurements, settings);

  const left = annotate(failing, findings ?? [], settings.maxAnnotations);
  if (left > 0) core.info(`${left} more failing tests and findings were not annotated (max-annotations is ${settings.maxAnnotations}); see the job summary.`);
  await appendSummary(buildSummary({ passed, gates, counts, failing, flaky: tests.results.flaky(), order, coverage, findings }));

  if (!passed) {
    const failed = gates.filter((gate) => gate.status === 'fail').map((gate) => `${gate.title} (${gate.valueText}, expected ${gate.thresholdText})`);
    core.setFailed(`Quality gate failed: ${failed.join('; ')}.`);
  } else {
    core.info('Quality gate passed: no gate of severity fail failed.');
  }
}

/** Finds the files of one glob input; a glob that matches nothing is an unreadable report when require-reports is true. */
async function matchInput(input: string, patterns: readonly string[], settings: QualityGateSettings, problems: ReportProblems): Promise<string[]> {
  if (patterns.length === 0) return [];
  const files = await findFiles(patterns, settings.workspace);
  core.info(`${input} matched ${countOf(files.length, 'file')}: ${files.map(relativeName).join(', ') || 'none'}.`);
  if (files.length > 0) return files;

  const message = `${input} matched no file with ${patterns.map((pattern) => JSON.stringify(pattern)).join(', ')}`;
  if (settings.requireReports) problems.add(input, new ReportError(input, `${message}; check the paths, or set require-reports to false.`));
  else core.warning(`${message}; require-reports is false, so the gates go on without them.`);
  return [];
}

async function runOrder(settings: QualityGateSettings, problems: ReportProblems): Promise<OrderOutcome | undefined> {
  if (settings.order.command.length === 0 || settings.order.severity === 'off') return undefined;
  const { runOrderChecks } = await import('./order/run-command.ts');
  try {
    return await runOrderChecks(settings.order, settings.workspace);
  } catch (error) {
    problems.add(error instanceof ReportError ? error.file : 'test-command', error);
    return undefined;
  }
}

/** Takes the duration from the order runs when they ran, else from the reports: their sum, or their maximum for parallel suites. */
function measureDuration(tests: TestReading, order: OrderOutcome | undefined, parallel: boolean): { seconds: number | undefined; source: string } {
  if (order && order.runs.length > 0) {
    return { seconds: Math.max(...order.runs.map((run) => run.seconds)), source: `as the longest of ${order.runs.length} runs of test-command` };
  }
  if (tests.durations.length === 0) return { seconds: undefined, source: '' };
  if (parallel) return { seconds: Math.max(...tests.durations), source: `as the longest of ${countOf(tests.durations.length, 'report file')} (parallel-reports)` };
  return { seconds: tests.durations.reduce((sum, value) => sum + value, 0), source: `as the sum over ${countOf(tests.durations.length, 'report file')}` };
}

function logGates(gates: readonly GateResult[]): void {
  for (const gate of gates) {
    core.info(`Gate ${gate.id}: ${gate.valueText} against ${gate.thresholdText} (severity ${gate.severity}) → ${gate.status}. ${gate.reason}`);
    if (gate.status === 'warn') core.warning(`${gate.title}: ${gate.valueText}, expected ${gate.thresholdText}. ${gate.reason}`);
  }
}

function setOutputs(passed: boolean, gates: readonly GateResult[], measurements: Measurements, settings: QualityGateSettings): void {
  const { counts, coverage } = measurements;
  const passRate = gates.find((gate) => gate.id === 'pass-rate')?.value;
  const percent = coverage ? coveragePercent(coverage, settings.coverage.metric) : undefined;
  core.setOutput('passed', String(passed));
  core.setOutput('pass-rate', passRate === undefined ? '' : passRate.toFixed(2));
  core.setOutput('total', String(counts.total));
  core.setOutput('failed', String(counts.failed + counts.errored));
  core.setOutput('skipped', String(counts.skipped + counts.xfailed));
  core.setOutput('flaky', String(counts.flaky));
  core.setOutput('coverage', percent === undefined ? '' : percent.toFixed(2));
  core.setOutput('gates', JSON.stringify(gates.map(({ id, value, thresholdText, severity, status, reason }) => ({ id, value: value ?? null, threshold: thresholdText, severity, status, reason }))));
}
