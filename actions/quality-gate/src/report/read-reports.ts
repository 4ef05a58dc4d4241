import { countOf } from '@atom-actions/shared/plural';
import * as path from 'node:path';

import * as core from '@actions/core';

import { parseCobertura } from '../coverage/cobertura.ts';
import { combineCoverage, type CoverageTotals } from '../coverage/combine.ts';
import { parseCoveragePy, parseIstanbulSummary } from '../coverage/json-reports.ts';
import { parseLcov } from '../coverage/lcov.ts';
import type { FileCoverage } from '../coverage/model.ts';
import { parseBandit } from '../static-analysis/bandit.ts';
import type { Finding } from '../static-analysis/model.ts';
import { parseMypy } from '../static-analysis/mypy.ts';
import { parseSarif } from '../static-analysis/sarif.ts';
import { parseJUnit } from '../tests/junit.ts';
import { parsePytestJson } from '../tests/pytest-json.ts';
import { TestResults } from '../tests/results.ts';
import { detectFormat, formatKinds, type ReportFormat, type ReportKind } from './detect.ts';
import { ReportError } from './errors.ts';

/** Everything read from the test reports. */
export interface TestReading {
  results: TestResults;
  /** Duration in seconds per report file that states one. */
  durations: number[];
  /** Files whose suites declare tests but list no testcase. */
  declaredWithoutRecords: { file: string; declared: number }[];
}

/** A report that could not be read, with the reason. */
export interface UnreadableReport {
  file: string;
  message: string;
}

/** Collects unreadable reports across kinds. */
export class ReportProblems {
  readonly unreadable: UnreadableReport[] = [];

  /** Records a file that failed to parse and logs it as an error. */
  add(file: string, error: unknown): void {
    if (!(error instanceof ReportError)) throw error;
    this.unreadable.push({ file, message: error.message });
    core.error(`Could not read the report ${error.message}`, { file: relativeName(file) });
  }
}

/** Reads test reports into unique tests and their attempts. */
export async function readTestReports(files: readonly string[], problems: ReportProblems): Promise<TestReading> {
  const reading: TestReading = { results: new TestResults(), durations: [], declaredWithoutRecords: [] };
  for (const file of files) {
    const format = await formatOfKind(file, 'test');
    if (format === undefined) continue;
    try {
      const sink = reading.results.add.bind(reading.results);
      const summary = format === 'junit' ? await parseJUnit(file, sink) : await parsePytestJson(file, sink);
      if (summary.seconds !== undefined) reading.durations.push(summary.seconds);
      if (summary.records === 0 && (summary.declaredTests ?? 0) > 0) reading.declaredWithoutRecords.push({ file, declared: summary.declaredTests ?? 0 });
      core.info(`Read ${summary.records} test records from ${relativeName(file)} (${format}).`);
    } catch (error) {
      problems.add(file, error);
    }
  }
  return reading;
}

/** Reads coverage reports and combines them per file. */
export async function readCoverageReports(files: readonly string[], workspace: string, problems: ReportProblems): Promise<CoverageTotals | undefined> {
  const entries: FileCoverage[] = [];
  let readable = 0;
  for (const file of files) {
    const format = await formatOfKind(file, 'coverage');
    if (format === undefined) continue;
    try {
      const parsed = await parseCoverageFile(format, file, workspace);
      entries.push(...parsed);
      readable += 1;
      core.info(`Read coverage of ${countOf(parsed.length, 'file')} from ${relativeName(file)} (${format}).`);
    } catch (error) {
      problems.add(file, error);
    }
  }
  return readable > 0 ? combineCoverage(entries) : undefined;
}

const staticAnalysisParsers: Partial<Record<ReportFormat, (file: string) => Promise<Finding[]>>> = { sarif: parseSarif, bandit: parseBandit, mypy: parseMypy };

/** Reads static-analysis reports into findings. */
export async function readStaticAnalysisReports(files: readonly string[], problems: ReportProblems): Promise<Finding[] | undefined> {
  const findings: Finding[] = [];
  let readable = 0;
  for (const file of files) {
    const format = await formatOfKind(file, 'static-analysis');
    if (format === undefined) continue;
    try {
      const parse = staticAnalysisParsers[format] ?? parseMypy;
      const parsed = await parse(file);
      findings.push(...parsed);
      readable += 1;
      core.info(`Read ${parsed.length} findings from ${relativeName(file)} (${format}).`);
    } catch (error) {
      problems.add(file, error);
    }
  }
  return readable > 0 ? findings : undefined;
}

function parseCoverageFile(format: ReportFormat, file: string, workspace: string): Promise<FileCoverage[]> {
  if (format === 'cobertura') return parseCobertura(file, workspace);
  if (format === 'lcov') return parseLcov(file, workspace);
  if (format === 'coverage-py') return parseCoveragePy(file, workspace);
  return parseIstanbulSummary(file, workspace);
}

/** Detects a file's format; warns and returns undefined when it is not a report of the expected kind. */
async function formatOfKind(file: string, kind: ReportKind): Promise<ReportFormat | undefined> {
  const detected = await detectFormat(file);
  if ('unknown' in detected) {
    core.warning(`Skipped ${relativeName(file)}: it is ${detected.unknown}, not a supported ${kind} report.`);
    return undefined;
  }
  if (formatKinds[detected.format] !== kind) {
    core.warning(`Skipped ${relativeName(file)}: it is a ${detected.format} report, which belongs to the ${formatKinds[detected.format]} reports, not the ${kind} reports.`);
    return undefined;
  }
  return detected.format;
}

/** Returns a file's path relative to the workspace, for logs and annotations. */
export function relativeName(file: string): string {
  const workspace = process.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const relative = path.relative(workspace, file);
  return relative.startsWith('..') ? file : relative;
}
