/**
 * Size limits of the services, checked before sending, and truncation that
 * cuts text on grapheme boundaries so that no multi-byte character or emoji
 * is split.
 */

/** Documented limits of each service, in characters unless the name says bytes. */
export const limits = {
  slack: {
    /** Blocks in one message (Block Kit reference, "blocks"). */
    blocks: 50,
    /** Text of one section block, and of one section field (2,000). */
    sectionText: 3000,
    sectionField: 2000,
    sectionFields: 10,
    /** The top-level `text` of chat.postMessage and incoming webhooks. */
    messageText: 40_000,
    /** Plain text of a header block. */
    headerText: 150,
    /** Text of one context element. */
    contextText: 2000,
  },
  github: {
    issueTitle: 256,
    /** Body of an issue or comment. */
    body: 65_536,
  },
  pagerduty: {
    summary: 1024,
    dedupKey: 255,
    /** Whole event, serialized. */
    payloadBytes: 512 * 1024,
  },
  teams: {
    /** Whole message posted to a Teams webhook, serialized. */
    payloadBytes: 28 * 1024,
  },
} as const;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Builds the marker appended to cut text, such as `… [truncated: 2,345 characters omitted]`. */
export function truncationMarker(omitted: number): string {
  return `… [truncated: ${omitted.toLocaleString('en-US')} characters omitted]`;
}

/**
 * Cuts text to at most `maxLength` UTF-16 code units (the unit JavaScript and
 * the services' character counts use), marker included. The cut falls on a
 * grapheme boundary, so an emoji or a letter with combining marks stays whole.
 * Text within the limit is returned unchanged.
 */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;

  // The marker's length depends on the omitted count, so reserve room for its longest form.
  const reserve = truncationMarker(text.length).length;
  if (reserve >= maxLength) return cutAtGrapheme(text, maxLength);

  const kept = cutAtGrapheme(text, maxLength - reserve);
  return `${kept}${truncationMarker(text.length - kept.length)}`;
}

/** Returns the longest prefix of whole graphemes within `maxLength` code units. */
export function cutAtGrapheme(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = 0;
  for (const { index, segment } of segmenter.segment(text)) {
    if (index + segment.length > maxLength) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** Returns the UTF-8 size of a value serialized as JSON, in bytes. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * Shrinks the longest text of a payload until its JSON fits `maxBytes`.
 * `build` makes the payload from a text length limit, so the caller decides
 * which text gives way. Returns the payload that fits, or the smallest one
 * tried when even an empty text does not fit.
 */
export function fitPayload<T>(maxBytes: number, fullLength: number, build: (maxTextLength: number) => T): T {
  let payload = build(fullLength);
  let size = jsonBytes(payload);
  let maxTextLength = fullLength;

  while (size > maxBytes && maxTextLength > 0) {
    // JSON escaping and multi-byte characters make bytes exceed characters, so shrink by the overshoot plus a margin.
    maxTextLength = Math.max(0, maxTextLength - (size - maxBytes) - 64);
    payload = build(maxTextLength);
    size = jsonBytes(payload);
  }
  return payload;
}
