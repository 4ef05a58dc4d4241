/** Maximum characters kept of a failure or error message. Longer messages are cut with an ellipsis. */
export const maxMessageLength = 2_000;

/** Appends `text` to `current` without growing past maxMessageLength. */
export function appendCapped(current: string, text: string): string {
  if (current.length >= maxMessageLength) return current;
  const room = maxMessageLength - current.length;
  return text.length > room ? `${current}${text.slice(0, room)}…` : current + text;
}
