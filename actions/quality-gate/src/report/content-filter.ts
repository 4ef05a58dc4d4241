/**
 * Drops the contents of `system-out` and `system-err` elements from a stream
 * of XML text before it reaches the parser. Test runners put whole logs there,
 * often as one huge CDATA section. A SAX parser buffers a text node or CDATA
 * section whole before it reports it, so without this filter memory would grow
 * with the size of the log. The start and end tags are kept, so the document
 * stays well-formed.
 *
 * NOTE: a literal `</system-out` inside the dropped content (in a CDATA
 * section) ends the dropped range early; the parser then sees the rest as text.
 */
export class CapturedOutputFilter {
  private readonly names: readonly string[] = ['system-out', 'system-err'];
  /** End tag being searched for while inside a dropped element. */
  private closingTag: string | undefined;
  /** Text held back from the previous chunk because a tag may continue in the next one. */
  private carry = '';

  /** Returns the part of `chunk` that the parser may see. */
  push(chunk: string): string {
    // join builds a flat string. `carry + chunk` would be a rope that V8 flattens again on every indexOf,
    // which made filtering quadratic in the chunk size.
    const text = [this.carry, chunk].join('');
    this.carry = '';
    // Pieces are joined once at the end: a flat string parses faster than a rope of many small pieces.
    const output: string[] = [];
    let position = 0;

    while (position < text.length) {
      if (this.closingTag !== undefined) {
        const end = text.indexOf(this.closingTag, position);
        if (end === -1) {
          this.carry = text.slice(Math.max(position, text.length - this.closingTag.length + 1));
          return output.join('');
        }
        this.closingTag = undefined;
        position = end;
        continue;
      }

      const start = text.indexOf('<system-', position);
      if (start === -1) {
        const keep = heldBackLength(text, position);
        output.push(text.slice(position, text.length - keep));
        this.carry = text.slice(text.length - keep);
        return output.join('');
      }

      output.push(text.slice(position, start));
      const tagEnd = text.indexOf('>', start);
      if (tagEnd === -1) {
        this.carry = text.slice(start);
        return output.join('');
      }

      const tag = text.slice(start, tagEnd + 1);
      output.push(tag);
      position = tagEnd + 1;
      const name = this.names.find((candidate) => isStartTagOf(tag, candidate));
      if (name !== undefined && !tag.endsWith('/>')) this.closingTag = `</${name}`;
    }
    return output.join('');
  }

  /** Returns text still held back at the end of the stream. */
  flush(): string {
    const rest = this.closingTag === undefined ? this.carry : '';
    this.carry = '';
    return rest;
  }
}

function isStartTagOf(tag: string, name: string): boolean {
  if (!tag.startsWith(`<${name}`)) return false;
  const next = tag.charAt(name.length + 1);
  return next === '>' || next === '/' || next === ' ' || next === '\t' || next === '\n' || next === '\r';
}

/** Length of a tail that could be the start of `<system-` cut by the chunk boundary. */
function heldBackLength(text: string, position: number): number {
  const marker = '<system-';
  const lastOpen = text.lastIndexOf('<', text.length - 1);
  if (lastOpen < position || text.length - lastOpen >= marker.length) return 0;
  return marker.startsWith(text.slice(lastOpen)) ? text.length - lastOpen : 0;
}
