import { formatCommand } from './workflow-commands.ts';

const registeredSecrets = new Set<string>();

/** The text that replaces a secret in logs, summaries and reports. */
export const redactedText = '***';

/**
 * Masks a secret in the runner's log and records it so that `redact` removes
 * it from text this process writes elsewhere: summaries, reports, outputs.
 * Call it before the value is used in any way, settings parsers included.
 * It writes the same `::add-mask::` command as `core.setSecret`, without
 * loading the toolkit, so the fail-fast path stays light. Empty values are
 * ignored, because masking '' would mask nothing useful.
 */
export function registerSecret(value: string | undefined): void {
  if (!value) return;
  if (registeredSecrets.has(value)) return;
  registeredSecrets.add(value);
  addMask(value);

  // A secret often travels URL-encoded (in a query string or a form body).
  const encoded = encodeURIComponent(value);
  if (encoded !== value) {
    registeredSecrets.add(encoded);
    addMask(encoded);
  }
}

function addMask(value: string): void {
  process.stdout.write(`${formatCommand('add-mask', {}, value)}\n`);
}

/** Replaces every registered secret in the text with `***`, longest first. */
export function redact(text: string): string {
  let result = text;
  const secrets = [...registeredSecrets].sort((a, b) => b.length - a.length);
  for (const secret of secrets) result = result.split(secret).join(redactedText);
  return result;
}

const sensitiveQueryKeys = /^(?:access_token|token|key|api_key|apikey|secret|password|sig|signature|code|routing_key)$/i;

/**
 * Returns a URL safe to log: user info and sensitive query values removed,
 * then every registered secret redacted. Webhook URLs carry their secret in
 * the path, so callers register those URLs as secrets too.
 */
export function redactUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.toString());
  } catch {
    return redact(url.toString());
  }
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? redactedText : '';
    parsed.password = parsed.password ? redactedText : '';
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (sensitiveQueryKeys.test(key)) parsed.searchParams.set(key, redactedText);
  }
  return redact(parsed.toString());
}

const sensitiveHeaders = /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|api-key)$/i;

/** Returns headers safe to log: credentials replaced by `***`, other values redacted of secrets. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name] = sensitiveHeaders.test(name) ? redactedText : redact(value);
  }
  return result;
}

/** Forgets every registered secret. Only tests call this, to stay independent of each other. */
export function clearSecretsForTests(): void {
  registeredSecrets.clear();
}
