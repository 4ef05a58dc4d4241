/** A report file that could not be read: malformed, truncated or unsafe. */
export class ReportError extends Error {
  override readonly name = 'ReportError';
  readonly file: string;

  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.file = file;
  }
}
