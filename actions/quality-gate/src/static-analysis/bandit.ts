import { readJsonObject } from '../report/json.ts';
import { appendCapped } from '../report/limits.ts';
import type { Finding, FindingLevel } from './model.ts';

interface BanditResult {
  filename?: string;
  line_number?: number;
  issue_severity?: string;
  issue_text?: string;
  test_id?: string;
  test_name?: string;
}

/** Bandit's severities as SARIF levels, the mapping bandit's own SARIF formatter uses. */
const severityLevels: Record<string, FindingLevel> = { HIGH: 'error', MEDIUM: 'warning', LOW: 'note' };

/** Parses bandit's JSON report (`bandit -f json`). */
export async function parseBandit(file: string): Promise<Finding[]> {
  const report = await readJsonObject(file);
  const results = Array.isArray(report['results']) ? (report['results'] as BanditResult[]) : [];
  return results.map((result) => ({
    tool: 'bandit',
    rule: [result.test_id, result.test_name].filter(Boolean).join(' '),
    level: severityLevels[(result.issue_severity ?? '').toUpperCase()] ?? 'note',
    message: appendCapped('', result.issue_text ?? ''),
    file: result.filename?.replace(/^\.\//, ''),
    line: result.line_number,
  }));
}
