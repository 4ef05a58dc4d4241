import { appendStepSummary } from './file-commands.ts';
import { redact } from './secrets.ts';

/** The outcome shown for one line of a job summary. */
export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'info';

const icons: Record<Status, string> = {
  pass: '✅',
  fail: '❌',
  warn: '⚠️',
  skip: '⏭️',
  info: 'ℹ️',
};

/** Returns the icon and word for a status, such as `✅ pass`. */
export function statusLabel(status: Status): string {
  return `${icons[status]} ${status}`;
}

/** Returns the icon alone for a status. */
export function statusIcon(status: Status): string {
  return icons[status];
}

/** Escapes text for a Markdown table cell: pipes, newlines and HTML-significant characters. */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/** Builds a GitHub-flavoured Markdown table; cells are escaped and redacted of secrets. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]): string => `| ${cells.map((cell) => escapeCell(redact(String(cell)))).join(' | ')} |`;
  return [line(headers), `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((row) => line(row))].join('\n');
}

/** Builds a collapsed `<details>` block whose body is Markdown. */
export function details(title: string, body: string): string {
  return `<details><summary>${escapeCell(title)}</summary>\n\n${body}\n\n</details>`;
}

/** Builds a fenced code block, choosing a fence longer than any backtick run inside. */
export function codeBlock(text: string, language = ''): string {
  const longestRun = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${redact(text)}\n${fence}`;
}

/** One line of a chart: a name and one value per x label (null where not measured). */
export interface ChartSeries {
  name: string;
  values: readonly (number | null)[];
}

/**
 * Builds a Mermaid `xychart-beta` line chart, which GitHub renders in job
 * summaries. Missing values are drawn as 0, because the chart type has no gaps,
 * and the legend states it when any value is missing.
 */
export function mermaidLineChart(title: string, xLabels: readonly string[], yLabel: string, series: readonly ChartSeries[]): string {
  const quoted = xLabels.map((label) => JSON.stringify(label.replace(/"/g, "'")));
  const lines = ['```mermaid', 'xychart-beta', `  title ${JSON.stringify(title)}`, `  x-axis [${quoted.join(', ')}]`, `  y-axis ${JSON.stringify(yLabel)}`];
  for (const line of series) lines.push(`  line [${line.values.map((value) => formatChartValue(value)).join(', ')}]`);
  lines.push('```');

  const names = series.map((line, index) => `line ${index + 1}: ${line.name}`).join(', ');
  const gaps = series.some((line) => line.values.some((value) => value === null)) ? ' Values not measured are drawn as 0.' : '';
  return `${lines.join('\n')}\n\n_${names}._${gaps}`;
}

function formatChartValue(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '0';
  return String(Math.round(value * 1000) / 1000);
}

/**
 * Appends Markdown to the job summary file, redacted of secrets. Does nothing
 * outside a runner. Returns a promise so that callers written for the
 * toolkit's asynchronous summary API keep working.
 */
export async function appendSummary(markdown: string): Promise<void> {
  appendStepSummary(redact(markdown));
}
