import * as path from 'node:path';

/** Coverage of one source file as one report states it. */
export interface FileCoverage {
  /** Path relative to the workspace when the file lies inside it. */
  path: string;
  /** Hits per line number, for formats with line data; merged across reports as a union. */
  lines?: Map<number, number>;
  linesCovered: number;
  linesTotal: number;
  branchesCovered: number;
  branchesTotal: number;
}

/** Returns a path relative to `workspace` when it lies inside it, with forward slashes. */
export function normalizeSourcePath(file: string, workspace: string): string {
  const absolute = path.isAbsolute(file) ? file : undefined;
  const relative = absolute !== undefined && absolute.startsWith(workspace + path.sep) ? path.relative(workspace, absolute) : file;
  return relative.split(path.sep).join('/').replace(/^\.\//, '');
}

/** Builds a FileCoverage from line hits and branch counts. */
export function fromLineHits(file: string, lines: Map<number, number>, branchesCovered: number, branchesTotal: number): FileCoverage {
  let covered = 0;
  for (const hits of lines.values()) if (hits > 0) covered += 1;
  return { path: file, lines, linesCovered: covered, linesTotal: lines.size, branchesCovered, branchesTotal };
}
