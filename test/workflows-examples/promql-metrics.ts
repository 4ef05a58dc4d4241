import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { stringify } from 'yaml';

const execFileAsync = promisify(execFile);

/** Debian's promtool 2.42 (package prometheus), the version the tests were written against. */
export const promtool = '/usr/bin/promtool';

const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

/**
 * Lists the metric names that a PromQL expression selects. It removes string
 * literals, label matchers, ranges and grouping clauses, then keeps the
 * identifiers that are neither keywords nor function calls. This is a
 * tokenizer, not a parser: promtool checks that the expression parses.
 */
export function listMetricNames(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');

  const names = new Set<string>();
  for (const match of stripped.matchAll(/\d+(?:\.\d+)?(?:e[+-]?\d+)?|[a-zA-Z_:][\w:]*/gi)) {
    const token = match[0];
    if (/^\d/.test(token) || keywords.has(token.toLowerCase())) continue;

    const following = stripped.slice((match.index ?? 0) + token.length).trimStart();
    if (following.startsWith('(')) continue;
    names.add(token);
  }
  return [...names].sort();
}

/**
 * Replaces the dashboard's Grafana variables with values Prometheus accepts:
 * `$__rate_interval` becomes the given range, and the `$version` regex
 * matches every version, as the dashboard's "All" option does.
 */
export function resolveGrafanaVariables(expression: string, rateInterval: string): string {
  return expression.replaceAll('$__rate_interval', rateInterval).replaceAll('$version', '.*');
}

/** The result of one promtool run. */
export interface PromtoolResult {
  exitCode: number;
  output: string;
}

/** Runs promtool with the given arguments in a folder and returns its exit code and output. */
export async function runPromtool(args: string[], cwd: string): Promise<PromtoolResult> {
  try {
    const { stdout, stderr } = await execFileAsync(promtool, args, { cwd, timeout: 30_000 });
    return { exitCode: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { exitCode: typeof failure.code === 'number' ? failure.code : -1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

/**
 * Checks that each expression parses, by writing them as recording rules to
 * a temporary rules file and running `promtool check rules` on it: promtool
 * 2.42 has no command that parses a bare query.
 */
export async function checkExpressions(expressions: Record<string, string>): Promise<PromtoolResult> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'promql-'));
  try {
    const rules = Object.entries(expressions).map(([name, expr]) => ({ record: name, expr }));
    fs.writeFileSync(path.join(folder, 'rules.yml'), stringify({ groups: [{ name: 'expressions', rules }] }));
    return await runPromtool(['check', 'rules', 'rules.yml'], folder);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
