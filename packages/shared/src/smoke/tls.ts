import { rootCertificates } from 'node:tls';

import { Agent } from 'undici';

import type { SmokeLog, TlsSettings } from './model.ts';

/**
 * Creates the connection pool for a run. A CA bundle is trusted in addition
 * to Node's bundled root certificates, because Node's `ca` option otherwise
 * replaces them. Skipping verification logs a warning, since any server can
 * then impersonate the environment.
 */
export function createDispatcher(tls: TlsSettings, log: SmokeLog): Agent {
  if (tls.insecureSkipVerify) {
    log.warning('TLS certificate verification is off (insecure-skip-tls-verify: true): responses are not proven to come from the environment under test.');
  }
  const ca = tls.ca !== undefined ? [...rootCertificates, tls.ca] : undefined;
  return new Agent({ connect: { ca, rejectUnauthorized: !tls.insecureSkipVerify } });
}
