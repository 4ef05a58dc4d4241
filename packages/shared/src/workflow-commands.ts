/**
 * Writes log lines and the runner's workflow commands (`::error::`,
 * `::warning::`, `::debug::`) to stdout. The run wrapper and auto-rollback
 * use this instead of `@actions/core`, because loading the toolkit and its
 * HTTP client took about 120 ms on a 2-core machine. So the fail-fast path
 * stays close to a bare `node` start, and a rollback starts sooner. Escaping
 * follows the runner's rules for command data and properties, as
 * `@actions/core` 1.11 applies them.
 */

/** Annotation properties the runner reads from `::error` and `::warning` commands. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
}

/** Escapes command data: `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a command property value: as data, plus `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Formats one workflow command line. */
export function formatCommand(command: string, properties: Record<string, string | number | undefined>, message: string): string {
  const pairs = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  const head = pairs.length > 0 ? `${command} ${pairs.join(',')}` : command;
  return `::${head}::${escapeData(message)}`;
}

/** Writes one plain log line. */
export function writeInfo(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** Writes a warning annotation. */
export function writeWarning(message: string, properties: AnnotationProperties = {}): void {
  process.stdout.write(`${formatCommand('warning', { ...properties }, message)}\n`);
}

/** Writes an error annotation. */
export function writeError(message: string, properties: AnnotationProperties = {}): void {
  process.stdout.write(`${formatCommand('error', { ...properties }, message)}\n`);
}

/** Writes a debug line, shown only when step debug logging is on. */
export function writeDebug(message: string): void {
  process.stdout.write(`${formatCommand('debug', {}, message)}\n`);
}
