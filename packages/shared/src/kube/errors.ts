import { errorMessage } from '../errors.ts';

/** The kind of failure a Kubernetes API call ended with. */
export type KubeFailureKind = 'status' | 'timeout' | 'connection' | 'tls' | 'other';

/**
 * A failed Kubernetes API call with a message a release manager can act on:
 * what was requested, what the API server returned, and what to check next.
 */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** The `reason` of the API server's Status object, such as `NotFound` or `Conflict`. */
  readonly reason: string;
  readonly kind: KubeFailureKind;
  /** The messages of `details.causes` in the Status body, which carry the detail of a 422. */
  readonly causes: string[];

  constructor(message: string, status: number, reason: string, kind: KubeFailureKind, cause?: unknown, causes: string[] = []) {
    super(message, { cause });
    this.status = status;
    this.reason = reason;
    this.kind = kind;
    this.causes = causes;
  }
}

/** The parts of a Kubernetes `Status` response body that messages use. */
interface StatusBody {
  message?: string;
  reason?: string;
  causes?: string[];
}

/**
 * An error response of the API server: client-node's ApiException and the
 * light transport's KubeHttpError both carry a numeric `code` and the `body`.
 * The check is structural so that this module does not load client-node.
 */
interface HttpResponseError extends Error {
  code: number;
  body: unknown;
}

function isHttpResponseError(error: unknown): error is HttpResponseError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'number' && 'body' in error;
}

/** Returns the HTTP status of a failed call, or 0 when no response arrived. */
export function statusOf(error: unknown): number {
  if (error instanceof KubeApiError) return error.status;
  if (isHttpResponseError(error)) return error.code;
  return 0;
}

/**
 * Translates an error of client-node or of the light transport into a
 * KubeApiError. `action` names what was requested, such as
 * `read deployment "atom" in namespace "prod"`.
 */
export function translateKubeError(error: unknown, action: string, server = ''): KubeApiError {
  if (error instanceof KubeApiError) return error;

  if (isHttpResponseError(error)) {
    const body = parseStatusBody(error.body);
    const reason = body.reason ?? '';
    const causes = body.causes ?? [];
    const detail = [body.message ?? `HTTP ${error.code}`, ...causes.filter((cause) => !body.message?.includes(cause))].join(': ');
    return new KubeApiError(`Failed to ${action}: ${detail}${statusHint(error.code)}`, error.code, reason, 'status', error, causes);
  }

  const kind = classifyTransportError(error);
  const where = server ? ` at ${server}` : '';
  const detail = transportDetail(error);
  const hints: Record<KubeFailureKind, string> = {
    timeout: ' The API server did not answer in time.',
    connection: ' Check that the cluster address in the kubeconfig is right and reachable from the runner.',
    tls: ' Check certificate-authority-data in the kubeconfig.',
    status: '',
    other: '',
  };
  return new KubeApiError(`Failed to ${action}: cannot reach the Kubernetes API${where} (${detail}).${hints[kind]}`, 0, '', kind, error);
}

function parseStatusBody(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return parseStatusBody(JSON.parse(body));
    } catch {
      return body.trim() ? { message: body.trim() } : {};
    }
  }
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const result: StatusBody = {};
    if (typeof record['message'] === 'string') result.message = record['message'];
    if (typeof record['reason'] === 'string') result.reason = record['reason'];
    const causes = (record['details'] as { causes?: { message?: unknown }[] } | undefined)?.causes;
    if (Array.isArray(causes)) result.causes = causes.map((cause) => cause.message).filter((message): message is string => typeof message === 'string');
    return result;
  }
  return {};
}

function statusHint(status: number): string {
  if (status === 401) return '. The credentials in the kubeconfig were rejected: check the token or client certificate.';
  if (status === 403) return '. The account has no access: grant it the verbs this action needs on Deployments, ReplicaSets and Pods in this namespace (see the action README).';
  return '';
}

function classifyTransportError(error: unknown): KubeFailureKind {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';

  const code = causeCode(error);
  if (['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(code)) return 'connection';
  if (['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'].includes(code)) return 'timeout';
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('DEPTH_ZERO') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') return 'tls';
  return 'other';
}

function causeCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return '';
}

function transportDetail(error: unknown): string {
  const code = causeCode(error);
  const message = errorMessage(error);
  return code && !message.includes(code) ? `${message}: ${code}` : message;
}
