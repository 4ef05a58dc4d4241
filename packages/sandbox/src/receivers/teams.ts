import { textResponse, type Handler } from './http.ts';

/** Largest message a Teams webhook accepts, in bytes. */
const maxBytes = 28 * 1024;

/**
 * Builds the Teams webhook handler, which responds like a Teams connector.
 * A valid Adaptive Card message gets 200 with `1`, and a malformed one 400.
 * A message over 28 KB gets 200 with "Webhook message delivery failed …",
 * which is how Teams reports that it dropped the message.
 */
export function createTeamsHandler(): Handler {
  return (request) => {
    if (Buffer.byteLength(request.body, 'utf8') > maxBytes) {
      return textResponse(200, 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 413 with ContextId tcid=0.');
    }
    const message = request.json as { type?: unknown; attachments?: unknown } | undefined;
    if (!message || message.type !== 'message' || !Array.isArray(message.attachments) || message.attachments.length === 0) {
      return textResponse(400, 'Bad payload received by generic incoming webhook.');
    }
    for (const attachment of message.attachments as { contentType?: unknown; content?: { type?: unknown; version?: unknown; body?: unknown } }[]) {
      if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') return textResponse(400, 'Bad payload received by generic incoming webhook.');
      const card = attachment.content;
      if (card?.type !== 'AdaptiveCard' || typeof card.version !== 'string' || !Array.isArray(card.body)) {
        return textResponse(400, 'Bad payload received by generic incoming webhook.');
      }
    }
    return textResponse(200, '1');
  };
}
