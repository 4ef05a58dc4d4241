const unitMilliseconds: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const durationPattern = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const partPattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** The expected form of a duration, for error messages. */
export const durationForm = 'a duration such as 500ms, 30s, 5m or 1h30m';

const durationExamples: readonly [string, number][] = [
  ['500ms', 500],
  ['30s', 30_000],
  ['5m', 300_000],
  ['1h30m', 5_400_000],
];

/**
 * Returns the expected form of a duration within bounds, for error messages,
 * with only the examples that lie within them: `a duration of at least 1s,
 * such as 30s, 5m or 1h30m`.
 */
export function boundedDurationForm(limits: { min?: number; max?: number }): string {
  const bounds = [limits.min !== undefined ? `at least ${formatDuration(limits.min)}` : '', limits.max !== undefined ? `at most ${formatDuration(limits.max)}` : ''].filter(Boolean).join(' and ');
  const examples = durationExamples.filter(([, ms]) => (limits.min === undefined || ms >= limits.min) && (limits.max === undefined || ms <= limits.max)).map(([text]) => text);
  const list = examples.length > 1 ? `${examples.slice(0, -1).join(', ')} or ${examples.at(-1)}` : (examples[0] ?? '');
  return list ? `a duration of ${bounds}, such as ${list}` : `a duration of ${bounds}`;
}

/**
 * Parses a Go-style duration (`30s`, `5m`, `1h30m`, `1.5s`, `250ms`) into
 * milliseconds. A bare number is taken as seconds, because workflow authors
 * often write `timeout: 300`. Returns undefined for anything else.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (!durationPattern.test(value)) return undefined;

  let total = 0;
  for (const [, amount, unit] of value.matchAll(partPattern)) {
    total += Number(amount) * (unitMilliseconds[unit ?? 's'] ?? 1000);
  }
  return Math.round(total);
}

/** Formats milliseconds as a short duration such as `1m30s`, `2.5s` or `120ms`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)}ms`;
  if (milliseconds < 60_000) return `${trimDecimals(milliseconds / 1000)}s`;

  const hours = Math.floor(milliseconds / 3_600_000);
  const minutes = Math.floor((milliseconds % 3_600_000) / 60_000);
  const seconds = Math.round((milliseconds % 60_000) / 1000);
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}` || '0s';
}

function trimDecimals(value: number): string {
  return String(Math.round(value * 10) / 10);
}
