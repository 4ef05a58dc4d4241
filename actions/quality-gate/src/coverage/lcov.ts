import * as fs from 'node:fs';
import * as readline from 'node:readline';

import { ReportError } from '../report/errors.ts';
import { fromLineHits, normalizeSourcePath, type FileCoverage } from './model.ts';

interface LcovRecord {
  file: string;
  lines: Map<number, number>;
  branchHits: Map<string, number>;
  branchSummary: [number, number] | undefined;
  lineSummary: [number, number] | undefined;
}

/**
 * Parses an LCOV tracefile line by line: `SF`, `DA`, `BRDA`, `LF`/`LH`,
 * `BRF`/`BRH` and `end_of_record`. Line data (`DA`) wins over the `LF`/`LH`
 * summary, and branch data (`BRDA`, `-` meaning not taken) over `BRF`/`BRH`.
 */
export async function parseLcov(file: string, workspace: string): Promise<FileCoverage[]> {
  const results: FileCoverage[] = [];
  let record: LcovRecord | undefined;
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });

  for await (const raw of lines) {
    const line = raw.trim();
    const colon = line.indexOf(':');
    const tag = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1);

    if (tag === 'SF') {
      record = { file: normalizeSourcePath(value, workspace), lines: new Map(), branchHits: new Map(), branchSummary: undefined, lineSummary: undefined };
    } else if (tag === 'end_of_record') {
      if (record) results.push(finishRecord(record));
      record = undefined;
    } else if (record) {
      addEntry(record, tag, value);
    }
  }

  if (record) results.push(finishRecord(record));
  if (results.length === 0) throw new ReportError(file, 'the LCOV file has no SF records.');
  return results;
}

function addEntry(record: LcovRecord, tag: string, value: string): void {
  const fields = value.split(',');
  if (tag === 'DA') {
    const line = Number(fields[0]);
    const hits = Number(fields[1]);
    if (Number.isInteger(line)) record.lines.set(line, Math.max(record.lines.get(line) ?? 0, Number.isFinite(hits) ? hits : 0));
  } else if (tag === 'BRDA' && fields.length >= 4) {
    const key = fields.slice(0, 3).join(',');
    const taken = fields[3] === '-' ? 0 : Number(fields[3]);
    record.branchHits.set(key, Math.max(record.branchHits.get(key) ?? 0, Number.isFinite(taken) ? taken : 0));
  } else if (tag === 'BRF' || tag === 'BRH') {
    const summary = record.branchSummary ?? [0, 0];
    summary[tag === 'BRH' ? 0 : 1] = Number(value) || 0;
    record.branchSummary = summary;
  } else if (tag === 'LF' || tag === 'LH') {
    const summary = record.lineSummary ?? [0, 0];
    summary[tag === 'LH' ? 0 : 1] = Number(value) || 0;
    record.lineSummary = summary;
  }
}

function finishRecord(record: LcovRecord): FileCoverage {
  let branchesCovered = record.branchSummary?.[0] ?? 0;
  let branchesTotal = record.branchSummary?.[1] ?? 0;
  if (record.branchHits.size > 0) {
    branchesTotal = record.branchHits.size;
    branchesCovered = [...record.branchHits.values()].filter((hits) => hits > 0).length;
  }

  if (record.lines.size === 0 && record.lineSummary) {
    const [covered, total] = record.lineSummary;
    return { path: record.file, linesCovered: covered, linesTotal: total, branchesCovered, branchesTotal };
  }
  return fromLineHits(record.file, record.lines, branchesCovered, branchesTotal);
}
