/** Formats a count with its noun, such as `1 file` or `3 files`; `pluralForm` defaults to the noun plus `s`. */
export function countOf(count: number, noun: string, pluralForm = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralForm}`;
}
