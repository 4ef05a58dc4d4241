import { fromLineHits, type FileCoverage } from './model.ts';

/** Coverage over every report, combined per file. */
export interface CoverageTotals {
  files: FileCoverage[];
  linesCovered: number;
  linesTotal: number;
  branchesCovered: number;
  branchesTotal: number;
}

/**
 * Combines file coverage from several reports as covered over total, never
 * as an average of percentages. A file present in several reports counts
 * once: with line data on both sides the line hits are merged as a union,
 * otherwise the entry with more measured lines is kept. Branches keep the
 * larger covered count of the two.
 */
export function combineCoverage(entries: Iterable<FileCoverage>): CoverageTotals {
  const byPath = new Map<string, FileCoverage>();
  for (const entry of entries) {
    const existing = byPath.get(entry.path);
    byPath.set(entry.path, existing === undefined ? entry : mergeFile(existing, entry));
  }

  const files = [...byPath.values()];
  const totals: CoverageTotals = { files, linesCovered: 0, linesTotal: 0, branchesCovered: 0, branchesTotal: 0 };
  for (const file of files) {
    totals.linesCovered += file.linesCovered;
    totals.linesTotal += file.linesTotal;
    totals.branchesCovered += file.branchesCovered;
    totals.branchesTotal += file.branchesTotal;
  }
  return totals;
}

function mergeFile(first: FileCoverage, second: FileCoverage): FileCoverage {
  const branchesTotal = Math.max(first.branchesTotal, second.branchesTotal);
  const branchesCovered = Math.min(branchesTotal, Math.max(first.branchesCovered, second.branchesCovered));

  if (first.lines && second.lines) {
    const lines = new Map(first.lines);
    for (const [line, hits] of second.lines) lines.set(line, (lines.get(line) ?? 0) + hits);
    return fromLineHits(first.path, lines, branchesCovered, branchesTotal);
  }

  const kept = second.linesTotal > first.linesTotal ? second : first;
  return { ...kept, branchesCovered, branchesTotal };
}

/** Returns covered over total in percent for a metric, or undefined when nothing was measured. */
export function coveragePercent(totals: Pick<CoverageTotals, 'linesCovered' | 'linesTotal' | 'branchesCovered' | 'branchesTotal'>, metric: 'line' | 'branch'): number | undefined {
  const covered = metric === 'line' ? totals.linesCovered : totals.branchesCovered;
  const total = metric === 'line' ? totals.linesTotal : totals.branchesTotal;
  return total > 0 ? (covered / total) * 100 : undefined;
}
