import * as fs from 'node:fs';
import * as readline from 'node:readline';

import { ReportError } from '../report/errors.ts';
import { appendCapped } from '../report/limits.ts';
import type { Finding } from './model.ts';

interface MypyLine {
  file?: string;
  line?: number;
  message?: string;
  code?: string | null;
  severity?: string;
}

/** Parses mypy's JSON-lines output (`mypy -O json`, mypy 1.11 and later): one object per line. */
export async function parseMypy(file: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;

  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    let entry: MypyLine;
    try {
      entry = JSON.parse(line) as MypyLine;
    } catch {
      throw new ReportError(file, `line ${number} is not a JSON object, so this is not mypy's JSON output.`);
    }
    findings.push({
      tool: 'mypy',
      rule: entry.code ?? '',
      level: entry.severity === 'error' ? 'error' : 'note',
      message: appendCapped('', entry.message ?? ''),
      file: entry.file,
      line: entry.line !== undefined && entry.line > 0 ? entry.line : undefined,
    });
  }
  return findings;
}
