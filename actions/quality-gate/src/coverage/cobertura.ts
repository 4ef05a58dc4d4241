import * as path from 'node:path';

import { ReportError } from '../report/errors.ts';
import { streamXml } from '../report/xml-stream.ts';
import { fromLineHits, normalizeSourcePath, type FileCoverage } from './model.ts';

interface FileLines {
  hits: Map<number, number>;
  /** Covered and total conditions per branch line, from `condition-coverage="50% (1/2)"`. */
  branches: Map<number, [number, number]>;
}

/**
 * Parses a Cobertura XML report (coverage.py `coverage xml`, jest's
 * `cobertura` reporter, JaCoCo converters) as a stream. Only the `line`
 * elements directly under a class count: the copies under `methods` would
 * count lines twice. Several classes of one file are merged by line.
 */
export async function parseCobertura(file: string, workspace: string): Promise<FileCoverage[]> {
  const files = new Map<string, FileLines>();
  const sources: string[] = [];
  let depth = 0;
  let inSource = false;
  let sourceText = '';
  let methodDepth = 0;
  let current: FileLines | undefined;

  await streamXml(file, {
    openTag(name, attributes) {
      depth += 1;
      if (depth === 1 && name !== 'coverage') throw new ReportError(file, `the root element is <${name}>, not <coverage>, so this is not a Cobertura report.`);
      if (name === 'source') {
        inSource = true;
        sourceText = '';
      } else if (name === 'class') {
        const key = attributes['filename'] ?? attributes['name'] ?? '';
        current = files.get(key) ?? { hits: new Map(), branches: new Map() };
        files.set(key, current);
      } else if (name === 'method') {
        methodDepth += 1;
      } else if (name === 'line' && current && methodDepth === 0) {
        addLine(current, attributes);
      }
    },
    closeTag(name) {
      depth -= 1;
      if (name === 'source') {
        inSource = false;
        if (sources.length < 20) sources.push(sourceText.trim());
      } else if (name === 'method') {
        methodDepth -= 1;
      } else if (name === 'class') {
        current = undefined;
      }
    },
    text(text) {
      if (inSource && sourceText.length < 4096) sourceText += text;
    },
  });

  return [...files].map(([name, lines]) => {
    let branchesCovered = 0;
    let branchesTotal = 0;
    for (const [covered, total] of lines.branches.values()) {
      branchesCovered += covered;
      branchesTotal += total;
    }
    return fromLineHits(resolveSource(name, sources, workspace), lines.hits, branchesCovered, branchesTotal);
  });
}

function addLine(lines: FileLines, attributes: Record<string, string>): void {
  const number = Number(attributes['number']);
  const hits = Number(attributes['hits'] ?? '0');
  if (!Number.isInteger(number)) return;
  lines.hits.set(number, Math.max(lines.hits.get(number) ?? 0, Number.isFinite(hits) ? hits : 0));

  const condition = /\((\d+)\/(\d+)\)/.exec(attributes['condition-coverage'] ?? '');
  if (attributes['branch'] === 'true' && condition) {
    const previous = lines.branches.get(number);
    const covered = Number(condition[1]);
    const total = Number(condition[2]);
    if (!previous || covered > previous[0]) lines.branches.set(number, [covered, total]);
  }
}

/** Joins a relative filename to the report's first source folder when that folder is inside the workspace. */
function resolveSource(filename: string, sources: readonly string[], workspace: string): string {
  if (path.isAbsolute(filename)) return normalizeSourcePath(filename, workspace);
  const source = sources.find((candidate) => path.isAbsolute(candidate) && (candidate === workspace || candidate.startsWith(workspace + path.sep)));
  return normalizeSourcePath(source ? path.join(source, filename) : filename, workspace);
}
