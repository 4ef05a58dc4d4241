import { ConfigurationError, quote } from '../errors.ts';

/** Maximum incident key length: PagerDuty's `dedup_key` limit. */
export const maxIncidentKeyLength = 255;

const allowedCharacters = /^[A-Za-z0-9._:/@+#=-]+$/;

/**
 * Derives the default incident key from the repository, environment and
 * version (or revision, or commit), such as `atom-org/atom:production:v1.4.2`.
 * Every notice about one release in one environment therefore shares a key.
 */
export function deriveIncidentKey(parts: { repository: string; environment: string; version: string; revision: string; sha: string }): string {
  const release = parts.version || parts.revision || parts.sha.slice(0, 12) || 'unversioned';
  const raw = [parts.repository || 'repository', parts.environment || 'default', release].join(':');
  return sanitizeIncidentKey(raw);
}

/** Replaces characters outside the allowed set with `-` and cuts the key to 255 characters. */
export function sanitizeIncidentKey(raw: string): string {
  return raw
    .replace(/[^A-Za-z0-9._:/@+#=-]/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, maxIncidentKeyLength);
}

/**
 * Checks a key given by the user. The key travels inside an HTML comment of
 * the GitHub issue and as PagerDuty's dedup_key, so it is limited to letters,
 * digits and `._:/@+#=-`, without `--`, and to 255 characters.
 */
export function validateIncidentKey(input: string, key: string): string {
  const expected = `1 to ${maxIncidentKeyLength} letters, digits or ._:/@+#=- without "--"`;
  if (key.length > maxIncidentKeyLength || !allowedCharacters.test(key) || key.includes('--')) {
    throw new ConfigurationError(`Input "${input}" has an invalid value ${quote(key)}: expected ${expected}.`);
  }
  return key;
}

/** Builds the hidden marker that identifies an incident's GitHub issue. */
export function incidentMarker(key: string): string {
  return `<!-- atom-incident-key: ${key} -->`;
}

/** Returns whether an issue body carries the marker of this key. */
export function hasIncidentMarker(body: string | null | undefined, key: string): boolean {
  return (body ?? '').includes(incidentMarker(key));
}
