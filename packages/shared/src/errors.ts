/**
 * A mistake in the workflow's configuration: a missing or invalid input, a
 * file that does not parse. The run wrapper reports it as one `::error::`
 * line with no stack trace, because the fix is in the user's YAML, not in
 * our code. Every other error is treated as a bug and gets its stack logged.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Builds the error for an input whose value does not have the expected form.
 * The message names the input, quotes the value and shows the expected form.
 */
export function invalidInput(input: string, value: string, expected: string): ConfigurationError {
  return new ConfigurationError(`Input "${input}" has an invalid value ${quote(value)}: expected ${expected}.`);
}

/** Builds the error for a required input that is empty or unset. */
export function missingInput(input: string, expected: string): ConfigurationError {
  return new ConfigurationError(`Input "${input}" is required but was not set: expected ${expected}.`);
}

/** Quotes a value for an error message, shortening a long one to 200 characters. */
export function quote(value: string): string {
  const maxLength = 200;
  const shown = value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
  return JSON.stringify(shown);
}

/** Returns the message of anything thrown, including values that are not Errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
