import { registerSecret } from '../secrets.ts';

const secretKeys = /^\s*-?\s*(token|client-key-data|client-certificate-data|password|id-token|refresh-token|access-token)\s*:\s*["']?([^"'\s]+)["']?\s*$/;

/**
 * Masks a kubeconfig given as input: the whole content, and each credential
 * value on its own line (tokens, client keys and certificates, passwords),
 * because the runner masks a multi-line secret only where it appears whole.
 */
export function registerKubeConfigSecrets(content: string): void {
  if (!content) return;
  registerSecret(content);
  for (const line of content.split('\n')) {
    const match = secretKeys.exec(line);
    if (match?.[2]) registerSecret(match[2]);
  }
}
