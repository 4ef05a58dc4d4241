/**
 * Checks a Slack message against the Block Kit limits Slack enforces:
 * 50 blocks, header text of 150 characters, section text of 3,000, at most
 * 10 section fields of 2,000, message text of 40,000. Returns Slack's error
 * code (`no_text`, `invalid_blocks`, `msg_too_long`, `invalid_attachments`),
 * or undefined for a valid message.
 */
export function validateSlackMessage(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return 'invalid_payload';
  const { text, blocks, attachments } = message as { text?: unknown; blocks?: unknown; attachments?: unknown };

  const hasText = typeof text === 'string' && text.trim() !== '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) return 'no_text';
  if (typeof text === 'string' && text.length > 40_000) return 'msg_too_long';

  if (blocks !== undefined && !validBlocks(blocks)) return 'invalid_blocks';
  if (attachments !== undefined) {
    if (!Array.isArray(attachments) || attachments.length > 100) return 'invalid_attachments';
    for (const attachment of attachments) {
      const inner = (attachment as { blocks?: unknown }).blocks;
      if (inner !== undefined && !validBlocks(inner)) return 'invalid_blocks';
    }
  }
  return undefined;
}

function validBlocks(blocks: unknown): boolean {
  if (!Array.isArray(blocks) || blocks.length > 50) return false;
  return blocks.every((block) => validBlock(block as Record<string, unknown>));
}

function validBlock(block: Record<string, unknown>): boolean {
  const text = block['text'] as { type?: string; text?: unknown } | undefined;
  switch (block['type']) {
    case 'header':
      return text?.type === 'plain_text' && typeof text.text === 'string' && text.text.length > 0 && text.text.length <= 150;
    case 'section': {
      const fields = block['fields'];
      if (text === undefined && fields === undefined) return false;
      if (text !== undefined && !validText(text, 3000)) return false;
      if (fields === undefined) return true;
      return Array.isArray(fields) && fields.length <= 10 && fields.every((field) => validText(field as { type?: string; text?: unknown }, 2000));
    }
    case 'context': {
      const elements = block['elements'];
      return Array.isArray(elements) && elements.length > 0 && elements.length <= 10 && elements.every((element) => validText(element as { type?: string; text?: unknown }, 3000));
    }
    case 'divider':
      return true;
    default:
      return ['actions', 'image', 'rich_text', 'input', 'file', 'video'].includes(String(block['type']));
  }
}

function validText(text: { type?: string; text?: unknown }, maxLength: number): boolean {
  if (text.type !== 'mrkdwn' && text.type !== 'plain_text') return false;
  return typeof text.text === 'string' && text.text.length > 0 && text.text.length <= maxLength;
}
