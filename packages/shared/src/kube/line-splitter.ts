/**
 * Splits a stream of text into lines, for the newline-delimited JSON of a
 * watch. A line may arrive across several chunks. It takes the place of
 * node:readline, whose loading adds a few milliseconds before the first
 * request of a rollback.
 */
export class LineSplitter {
  private pending = '';
  private readonly onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.onLine = onLine;
  }

  /** Emits every line that the chunk completes and keeps the rest for the next chunk. */
  push(chunk: string): void {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }

  /** Emits the last line when the stream ended without a line break. */
  end(): void {
    if (this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }
}
