/**
 * The error type of the simulated API: each instance carries the `Status`
 * object and HTTP code that a real API server returns for the same failure.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: number;
  readonly reason: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: number, reason: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  /** Returns the `Status` object that goes into the response body. */
  toStatus(): Record<string, unknown> {
    const status: Record<string, unknown> = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
    };
    if (this.details) status.details = this.details;
    status.code = this.code;
    return status;
  }
}

/** Returns the resource name as messages show it: `deployments.apps`, or `pods` for the core group. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** Builds the 404 for a missing object: `deployments.apps "web" not found`. */
export function notFound(resource: string, group: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });
}

/** Builds the 409 for a create whose name is taken. */
export function alreadyExists(resource: string, group: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(resource, group)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });
}

/** Builds the 409 for a write based on a stale resourceVersion. */
export function conflict(resource: string, group: string, name: string): ApiError {
  const message =
    `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ` +
    'the object has been modified; please apply your changes to the latest version and try again';
  return new ApiError(409, 'Conflict', message, { name, group, kind: resource });
}

/** One field error of an Invalid (422) response. */
export interface FieldCause {
  field: string;
  message: string;
  reason?: string;
}

/**
 * Builds the 422 for an object that fails validation, in the real format:
 * `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
 */
export function invalid(kind: string, group: string, name: string, causes: FieldCause[]): ApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const detail = causes.map((cause) => `${cause.field}: ${cause.message}`);
  const joined = detail.length === 1 ? detail[0] : `[${detail.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, {
    name,
    group,
    kind,
    causes: causes.map((cause) => ({ reason: cause.reason ?? 'FieldValueInvalid', message: cause.message, field: cause.field })),
  });
}

/** Builds a 400 BadRequest with the given message. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** Builds the 415 for a body whose content type the verb does not accept. */
export function unsupportedMediaType(contentType: string, supported: string[]): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${supported.join(', ')}`,
    { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] },
  );
}

/** Builds the 405 for a verb that the resource does not support. */
export function methodNotAllowed(method: string, resource: string): ApiError {
  return new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {
    kind: resource,
    causes: [{ reason: 'UnexpectedServerResponse', message: method }],
  });
}

/** Builds the 410 for a watch or list from a resourceVersion that has been compacted away. */
export function expired(requested: number, oldest: number): ApiError {
  return new ApiError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

/** Builds the 401 for a request without a known bearer token. */
export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

/** The attributes of a request that authorization looks at. */
export interface AccessRequest {
  verb: string;
  resource: string;
  subresource?: string;
  group: string;
  namespace?: string;
  name?: string;
}

/**
 * Builds the 403 for a request the user has no access to, in the format of
 * the RBAC authorizer: `deployments.apps is forbidden: User "ci" cannot list
 * resource "deployments" in API group "apps" in the namespace "prod"`.
 */
export function forbidden(user: string, request: AccessRequest): ApiError {
  const subject = request.name
    ? `${qualifiedResource(request.resource, request.group)} "${request.name}"`
    : qualifiedResource(request.resource, request.group);
  const resourcePath = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const scope = request.namespace ? `in the namespace "${request.namespace}"` : 'at the cluster scope';
  const message =
    `${subject} is forbidden: User "${user}" cannot ${request.verb} resource "${resourcePath}" ` +
    `in API group "${request.group}" ${scope}`;
  const details: Record<string, unknown> = { group: request.group, kind: request.resource };
  if (request.name) details.name = request.name;
  return new ApiError(403, 'Forbidden', message, details);
}

/** Builds the Status for an injected server-side failure with the standard reason for its code. */
export function injectedFailure(code: number): ApiError {
  const known: Record<number, [string, string]> = {
    429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
    500: ['InternalError', 'Internal error occurred: injected fault'],
    503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
    504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
  };
  const [reason, message] = known[code] ?? ['InternalError', `injected fault with status ${code}`];
  return new ApiError(code, reason, message);
}
