/** The items of the runbook's post-deployment checklist, in the order they run. */
export const checklistItems = ['health', 'smoke', 'metrics', 'pods', 'logs'] as const;

/** One item of the checklist. */
export type ChecklistItem = (typeof checklistItems)[number];

/** The outcome of one line of the checklist. */
export type LineResult = 'pass' | 'fail' | 'warn' | 'skip';

/** One measured line of the checklist: a value against its threshold. */
export interface ChecklistLine {
  item: ChecklistItem;
  name: string;
  result: LineResult;
  /** The measured value as shown to a person, such as `0.42%` or `3/3 ready`. */
  value: string;
  /** The threshold as shown to a person, such as `< 1%`; '' when the line has none. */
  threshold: string;
  /** The reason for the line's result, in a sentence. */
  detail: string;
  /** Log lines or response excerpts for the summary. */
  excerpts?: string[];
}

/** Returns true when no line failed. Warnings and skipped lines do not fail the checklist. */
export function checklistPassed(lines: readonly ChecklistLine[]): boolean {
  return lines.every((line) => line.result !== 'fail');
}

/** Returns the names of the failed lines, as `item: name`. */
export function failedLineNames(lines: readonly ChecklistLine[]): string[] {
  return lines.filter((line) => line.result === 'fail').map((line) => `${line.item}: ${line.name}`);
}
