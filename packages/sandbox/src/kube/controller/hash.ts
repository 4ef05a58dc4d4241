import type { PodTemplate } from '../types.ts';

const alphanumerics = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Returns the `pod-template-hash` of a pod template, in the manner of
 * Kubernetes' controller.ComputeHash: an FNV-1a 32-bit hash, with the
 * collision count appended when set (8 bytes: a little-endian uint32 and
 * four zero bytes), printed in
 * decimal and encoded with rand.SafeEncodeString. Kubernetes hashes the Go
 * struct dump of the template, which JavaScript cannot reproduce, so the
 * input here is JSON with sorted keys: names have the same form but differ
 * from a real cluster's for the same template.
 */
export function computeHash(template: PodTemplate, collisionCount?: number): string {
  let hash = 0x811c9dc5;
  const update = (bytes: Uint8Array) => {
    for (const byte of bytes) {
      hash ^= byte;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  };

  update(Buffer.from(canonicalJson(template), 'utf8'));
  if (collisionCount !== undefined) {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(collisionCount >>> 0, 0);
    update(bytes);
  }
  return safeEncodeString(String(hash >>> 0));
}

/** Maps each character to one of 27 letters and digits without vowels, as Kubernetes' rand.SafeEncodeString does. */
export function safeEncodeString(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) encoded += alphanumerics[byte % alphanumerics.length];
  return encoded;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
