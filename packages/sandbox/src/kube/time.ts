/** Formats a time as the API serves metav1.Time: RFC 3339 in UTC with whole seconds. */
export function formatTime(milliseconds: number = Date.now()): string {
  return new Date(milliseconds).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses an RFC 3339 time from an object, returning undefined for a missing or invalid one. */
export function parseTime(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const value = Date.parse(text);
  return Number.isNaN(value) ? undefined : value;
}
