import { ReportError } from '../report/errors.ts';
import { readJsonObject } from '../report/json.ts';
import { normalizeSourcePath, type FileCoverage } from './model.ts';

interface CoveragePyFile {
  executed_lines?: number[];
  missing_lines?: number[];
  summary?: { covered_lines?: number; num_statements?: number; num_branches?: number; covered_branches?: number };
}

interface IstanbulTotals {
  lines?: { total?: number; covered?: number };
  branches?: { total?: number; covered?: number };
}

/** Parses coverage.py's JSON report (`coverage json`): executed and missing lines per file, branches from each file's summary. */
export async function parseCoveragePy(file: string, workspace: string): Promise<FileCoverage[]> {
  const report = await readJsonObject(file);
  const files = report['files'];
  if (files === null || typeof files !== 'object') throw new ReportError(file, 'the coverage.py JSON report has no "files" object.');

  return Object.entries(files as Record<string, CoveragePyFile>).map(([name, entry]) => {
    const executed = entry.executed_lines ?? [];
    const missing = entry.missing_lines ?? [];
    const lines = new Map<number, number>();
    for (const line of missing) lines.set(line, 0);
    for (const line of executed) lines.set(line, 1);

    // coverage.py 6.5 lists a module docstring line as executed without counting it as a statement,
    // so the summary's counts are the reliable ones, and the line data is kept only when it agrees.
    const summary = entry.summary;
    const linesTotal = summary?.num_statements ?? lines.size;
    const linesCovered = summary?.covered_lines ?? executed.length;
    return {
      path: normalizeSourcePath(name, workspace),
      lines: lines.size === linesTotal ? lines : undefined,
      linesCovered,
      linesTotal,
      branchesCovered: summary?.covered_branches ?? 0,
      branchesTotal: summary?.num_branches ?? 0,
    };
  });
}

/**
 * Parses Istanbul's `json-summary` report (jest `--coverageReporters=json-summary`):
 * line and branch totals per file. It has no per-line data, so the same file
 * in another report is not merged by line.
 */
export async function parseIstanbulSummary(file: string, workspace: string): Promise<FileCoverage[]> {
  const report = await readJsonObject(file);
  return Object.entries(report as Record<string, IstanbulTotals>)
    .filter(([name]) => name !== 'total')
    .map(([name, totals]) => ({
      path: normalizeSourcePath(name, workspace),
      linesCovered: totals.lines?.covered ?? 0,
      linesTotal: totals.lines?.total ?? 0,
      branchesCovered: totals.branches?.covered ?? 0,
      branchesTotal: totals.branches?.total ?? 0,
    }));
}
