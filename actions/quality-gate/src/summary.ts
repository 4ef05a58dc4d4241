import { details, markdownTable, statusLabel } from '@atom-actions/shared/summary';

import type { CoverageTotals } from './coverage/combine.ts';
import type { GateResult } from './gates/gate.ts';
import type { OrderOutcome } from './order/compare.ts';
import type { Finding } from './static-analysis/model.ts';
import type { TestCounts, TestResult } from './tests/results.ts';

/** Rows shown per list; the rest is counted in a closing line. */
const maxRows = 25;
/** Characters of a failure message shown in the summary. */
const maxMessageCharacters = 300;

/** The content of the job summary. */
export interface SummaryContent {
  passed: boolean;
  gates: GateResult[];
  counts: TestCounts;
  failing: TestResult[];
  flaky: TestResult[];
  order: OrderOutcome | undefined;
  coverage: CoverageTotals | undefined;
  findings: Finding[] | undefined;
}

/** Builds the job summary: the gate table, then failing, flaky and order-dependent tests, coverage and findings. */
export function buildSummary(content: SummaryContent): string {
  const { counts } = content;
  const sections = [
    `## Quality gate: ${content.passed ? statusLabel('pass') : statusLabel('fail')}`,
    `${counts.total} tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.errored} errored, ${counts.skipped} skipped, ${counts.xfailed} expected failures, ${counts.flaky} flaky (${counts.records} records).`,
    markdownTable(
      ['gate', 'value', 'threshold', 'severity', 'result', 'reason'],
      content.gates.map((gate) => [gate.title, gate.valueText, gate.thresholdText, gate.severity, statusLabel(gate.status), gate.reason]),
    ),
  ];

  if (content.failing.length > 0) {
    const rows = content.failing.slice(0, maxRows).map((test) => [test.name, test.outcome, location(test), truncate(test.message)]);
    sections.push(details(`Failing tests (${content.failing.length})`, withRest(markdownTable(['test', 'result', 'location', 'message'], rows), content.failing.length)));
  }
  if (content.flaky.length > 0) {
    const rows = content.flaky.slice(0, maxRows).map((test) => [test.name, test.attempts.join(' → '), truncate(test.message)]);
    sections.push(details(`Flaky tests (${content.flaky.length})`, withRest(markdownTable(['test', 'attempts', 'last failure'], rows), content.flaky.length)));
  }
  if (content.order && content.order.dependent.length > 0) {
    const rows = content.order.dependent.slice(0, maxRows).map((test) => [test.name, seeds(test.failingSeeds), seeds(test.passingSeeds)]);
    sections.push(`### Order-dependent tests\n\n${withRest(markdownTable(['test', 'fails with seeds', 'passes with seeds'], rows), content.order.dependent.length)}`);
  }
  if (content.coverage && content.coverage.files.length > 0) sections.push(coverageSection(content.coverage));
  if (content.findings && content.findings.length > 0) {
    const rows = content.findings.slice(0, maxRows).map((finding) => [finding.level, finding.tool, finding.rule, findingLocation(finding), truncate(finding.message)]);
    sections.push(details(`Static-analysis findings (${content.findings.length})`, withRest(markdownTable(['level', 'tool', 'rule', 'location', 'message'], rows), content.findings.length)));
  }
  return sections.join('\n\n');
}

/** Lists the files with the lowest line coverage first. */
function coverageSection(coverage: CoverageTotals): string {
  const lowest = coverage.files
    .filter((file) => file.linesTotal > 0)
    .map((file) => ({ file, percent: (file.linesCovered / file.linesTotal) * 100 }))
    .sort((a, b) => a.percent - b.percent || a.file.path.localeCompare(b.file.path))
    .slice(0, 10);
  const rows = lowest.map(({ file, percent }) => [file.path, `${percent.toFixed(1)}%`, `${file.linesCovered}/${file.linesTotal}`, file.branchesTotal > 0 ? `${file.branchesCovered}/${file.branchesTotal}` : '–']);
  return details(`Coverage: the ${rows.length} lowest of ${coverage.files.length} files`, markdownTable(['file', 'lines', 'lines covered', 'branches covered'], rows));
}

function location(test: TestResult): string {
  if (!test.file) return '';
  return test.line ? `${test.file}:${test.line}` : test.file;
}

function findingLocation(finding: Finding): string {
  if (!finding.file) return '';
  return finding.line ? `${finding.file}:${finding.line}` : finding.file;
}

function seeds(values: readonly (number | undefined)[]): string {
  return values.map((seed) => (seed === undefined ? 'unknown' : String(seed))).join(', ');
}

/** Shortens a message to its first lines within maxMessageCharacters. */
export function truncate(message: string): string {
  const flat = message.trim();
  return flat.length > maxMessageCharacters ? `${flat.slice(0, maxMessageCharacters)}…` : flat;
}

function withRest(table: string, total: number): string {
  return total > maxRows ? `${table}\n\n…and ${total - maxRows} more.` : table;
}
