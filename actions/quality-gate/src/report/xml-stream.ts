import * as fs from 'node:fs';

import { SaxesParser, type SaxesTagPlain } from 'saxes';

import { CapturedOutputFilter } from './content-filter.ts';
import { ReportError } from './errors.ts';

/** Callbacks for the events of one XML document. */
export interface XmlHandlers {
  openTag(name: string, attributes: Record<string, string>): void;
  closeTag(name: string): void;
  /** Text and CDATA content, except inside `system-out` and `system-err`, which are dropped unread. */
  text(text: string): void;
}

/** Characters that XML 1.0 forbids, such as NUL and escape codes, which some runners write raw. */
const disallowedCharacters = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const allDisallowedCharacters = new RegExp(disallowedCharacters.source, 'g');

/**
 * Parser errors that leave the document readable: an undefined entity stays
 * as literal text (`&name;`), and a forbidden character or character
 * reference is kept as it is. Every other error rejects the file.
 */
const recoverableErrors = ['undefined entity.', 'malformed character entity.', 'disallowed character', 'disallowed character in entity name.'];

const chunkSize = 1 << 16;

/**
 * Streams an XML file through saxes with memory bounded by the chunk size,
 * the longest element outside `system-out`/`system-err`, and the handlers'
 * own state. A byte-order mark is skipped and forbidden control characters
 * are replaced with U+FFFD. Entities are never expanded: saxes resolves only
 * the five predefined ones, and a DOCTYPE that declares entities (such as
 * a billion-laughs bomb or an external `SYSTEM` entity) rejects the file.
 * Throws ReportError for malformed or truncated XML.
 */
export async function streamXml(file: string, handlers: XmlHandlers): Promise<void> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const filter = new CapturedOutputFilter();
  let failure: ReportError | undefined;

  parser.on('error', (error) => {
    if (recoverableErrors.some((message) => error.message.endsWith(message))) return;
    failure ??= new ReportError(file, `not well-formed XML: ${error.message}`);
  });
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) failure ??= new ReportError(file, 'the DOCTYPE declares entities, which are never expanded; remove the DOCTYPE.');
  });
  // After a failure the rest of the current chunk is still parsed, but nothing reaches the handlers.
  parser.on('opentag', (tag: SaxesTagPlain) => failure ?? handlers.openTag(tag.name, tag.attributes as Record<string, string>));
  parser.on('closetag', (tag) => failure ?? handlers.closeTag(tag.name));
  parser.on('text', (text) => failure ?? handlers.text(text));
  parser.on('cdata', (text) => failure ?? handlers.text(text));

  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: chunkSize });
  let first = true;
  for await (const chunk of stream as AsyncIterable<string>) {
    let text = first && chunk.startsWith('\uFEFF') ? chunk.slice(1) : chunk;
    first = false;
    text = filter.push(text);
    if (disallowedCharacters.test(text)) text = text.replace(allDisallowedCharacters, '\uFFFD');
    parser.write(text);
    if (failure) {
      stream.destroy();
      throw failure;
    }
  }

  parser.write(filter.flush());
  parser.close();
  if (failure) throw failure;
}
