/**
 * A response of the API server with a status outside 2xx. `code` and `body`
 * have the names of client-node's ApiException, so translateKubeError reads
 * both the same way.
 */
export class KubeHttpError extends Error {
  override readonly name = 'KubeHttpError';
  readonly code: number;
  /** The response body as text, usually a Kubernetes Status object in JSON. */
  readonly body: string;

  constructor(code: number, body: string) {
    super(`HTTP ${code}`);
    this.code = code;
    this.body = body;
  }
}

/** Parses a successful response body as JSON, or returns an empty object for an empty body. */
export function parseResponseBody(text: string): unknown {
  return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
}
