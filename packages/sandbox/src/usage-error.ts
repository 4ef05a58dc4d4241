/** A bad command-line argument: the CLI prints the message as one line and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
