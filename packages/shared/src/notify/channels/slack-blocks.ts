import { eventColor } from '../events.ts';
import { limits, truncateText } from '../limits.ts';
import type { Notification } from '../message.ts';

/** A Block Kit block, kept as plain data. */
export type Block = Record<string, unknown>;

/** A Slack message body shared by incoming webhooks and chat.postMessage. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
  attachments: { color: string; blocks: Block[]; fallback: string }[];
}

/** `block_id` of the context block that shows the incident's status, replaced by chat.update. */
export const statusBlockId = 'atom-status';

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes text for mrkdwn and cuts it to `maxLength` characters after
 * escaping, so the limit holds for what Slack counts and no entity is split.
 */
export function fitMrkdwn(text: string, maxLength: number): string {
  let budget = maxLength;
  for (;;) {
    const escaped = escapeMrkdwn(truncateText(text, budget));
    if (escaped.length <= maxLength || budget <= 0) return escaped.length <= maxLength ? escaped : '';
    budget -= escaped.length - maxLength;
  }
}

/**
 * Builds the Block Kit message of a notice: a header with the title, the
 * status line, and an attachment in the severity's colour with the text,
 * the fields and a link to the run. Every text is cut to Slack's limits.
 */
export function buildSlackMessage(notification: Notification): SlackMessage {
  const colored: Block[] = [];
  if (notification.text) {
    colored.push({ type: 'section', text: { type: 'mrkdwn', text: fitMrkdwn(notification.text, limits.slack.sectionText) } });
  }

  const fields = notification.fields.slice(0, limits.slack.sectionFields).map((field) => ({
    type: 'mrkdwn',
    text: fitMrkdwn(`*${field.label}*\n${field.value}`, limits.slack.sectionField),
  }));
  if (fields.length > 0) colored.push({ type: 'section', fields });
  colored.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncateText(runLine(notification), limits.slack.contextText) }] });

  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncateText(notification.title, limits.slack.headerText), emoji: true } },
    statusBlock(notification),
  ];

  const fallback = truncateText(`${notification.title}\n${notification.text}`, limits.slack.messageText);
  const message: SlackMessage = {
    text: fallback,
    blocks,
    attachments: [{ color: eventColor(notification.event, notification.severity), blocks: colored, fallback: truncateText(notification.title, 300) }],
  };
  checkBlockCount(message);
  return message;
}

/** Builds the context block that shows the incident's current status. */
export function statusBlock(notification: Notification): Block {
  const severity = notification.severity ? ` · ${notification.severity}` : '';
  const line = `*Status:* ${notification.status}${severity} · updated ${notification.timestamp.replace('T', ' ').slice(0, 16)} UTC`;
  return { type: 'context', block_id: statusBlockId, elements: [{ type: 'mrkdwn', text: fitMrkdwn(line, limits.slack.contextText) }] };
}

/** Builds the mrkdwn line with the run link; each part is escaped on its own so the link stays intact. */
function runLine(notification: Notification): string {
  const parts: string[] = [];
  if (notification.context.runUrl) parts.push(`<${notification.context.runUrl}|Workflow run ${escapeMrkdwn(notification.context.runId)}>`);
  if (notification.context.repository) parts.push(escapeMrkdwn(notification.context.repository));
  parts.push(`incident \`${escapeMrkdwn(notification.incidentKey)}\``);
  return parts.join(' · ');
}

function checkBlockCount(message: SlackMessage): void {
  const count = message.blocks.length + message.attachments.reduce((sum, attachment) => sum + attachment.blocks.length, 0);
  if (count > limits.slack.blocks) throw new Error(`Slack message has ${count} blocks, more than Slack's limit of ${limits.slack.blocks}.`);
}
