import type { IncomingMessage, ServerResponse } from 'node:http';

import type { AccessControl } from './access.ts';
import { coreVersions, groupInfo, groupList, resourceList, versionInfo } from './discovery.ts';
import { ApiError, conflict, injectedFailure } from './errors.ts';
import type { FaultInjector, MatchedFaults } from './faults.ts';
import { handleResource, verbOf, type ApiRequest } from './handlers.ts';
import { serveOpenApi } from './openapi.ts';
import type { Registry } from './registry.ts';
import { isResourceRoute, resolvePath, type ResourceRoute } from './routes.ts';
import { streamWatch } from './watch.ts';

/** One served request, as `sim.requests` records it. */
export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string;
  /** The HTTP status of the response, 0 until it is sent, and 200 for a watch once its stream starts. */
  status: number;
  /** The API verb for resource requests, such as `list`, `watch` or `patch`. */
  verb?: string;
  user?: string;
}

/** The state the request handler uses. */
export interface ServerContext {
  registry: Registry;
  access: AccessControl;
  faults: FaultInjector;
  requests: RequestRecord[];
  /** Host and port as discovery reports them. */
  address: () => string;
  /** Closers of the open watch streams, so stop() can end them. */
  watches: Set<() => void>;
}

/** Serves one HTTP request of the simulated API server, turning errors into `Status` responses. */
export async function handleRequest(context: ServerContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'https://127.0.0.1');
  const method = (request.method ?? 'GET').toUpperCase();
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const record: RequestRecord = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), contentType, status: 0 };
  context.requests.push(record);

  try {
    const rawBody = await readBody(request);
    const body = rawBody.toString('utf8');
    const faults = context.faults.match(method, url.pathname);
    if (faults?.latencyMs) await delay(faults.latencyMs);
    if (faults?.status !== undefined) {
      sendError(response, record, injectedFailure(faults.status), faults.retryAfterSeconds);
      return;
    }

    const user = context.access.authenticate(request.headers.authorization);
    record.user = user;
    const apiRequest: ApiRequest = { method, path: url.pathname, query: url.searchParams, headers: request.headers, body, rawBody, contentType, user };
    serve(context, apiRequest, response, record, faults);
  } catch (error) {
    if (error instanceof ApiError) {
      sendError(response, record, error);
      return;
    }
    console.error(`kube simulator: ${method} ${url.pathname} failed:`, error);
    sendError(response, record, new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`));
  }
}

function serve(context: ServerContext, request: ApiRequest, response: ServerResponse, record: RequestRecord, faults: MatchedFaults | undefined): void {
  const fixed = fixedPath(context, request);
  if (fixed !== undefined) {
    sendJson(response, record, 200, fixed);
    return;
  }
  if (request.path.startsWith('/openapi/')) {
    const document = serveOpenApi(request.path, request.headers.accept);
    if (document) {
      record.status = 200;
      response.writeHead(200, { 'Content-Type': document.contentType });
      response.end(document.body);
      return;
    }
    throw notFoundPath();
  }

  const route = resolvePath(request.path);
  if (!route) throw notFoundPath();
  if (!isResourceRoute(route)) {
    let body: Record<string, unknown> | undefined;
    if (route.version !== undefined) body = resourceList(route.group, route.version);
    else if (route.group === '') body = coreVersions(context.address());
    else body = groupInfo(route.group);
    if (!body) throw notFoundPath();
    sendJson(response, record, 200, body);
    return;
  }

  const verb = verbOf(request.method, route, request.query);
  record.verb = verb;
  context.access.authorize(request.user, { verb, resource: route.type.plural, subresource: route.subresource, group: route.type.group, namespace: route.namespace ?? namespaceOf(route), name: route.name });
  if (faults?.conflict) throw conflict(route.type.plural, route.type.group, route.name ?? '');

  if (verb === 'watch') {
    record.status = 200;
    const close = streamWatch(context.registry.store, response, { route, query: request.query, dropAfterMs: faults?.dropWatchAfterMs, accept: request.headers.accept });
    context.watches.add(close);
    response.on('close', () => context.watches.delete(close));
    return;
  }

  const answer = handleResource(context.registry, route, request);
  if (answer.contentType === 'text/plain') {
    record.status = answer.status;
    response.writeHead(answer.status, { 'Content-Type': 'text/plain' });
    response.end(answer.body as string);
    return;
  }
  sendJson(response, record, answer.status, answer.body);
}

/** Namespaces are cluster-scoped, but access rules for a namespace also cover the Namespace object itself. */
function namespaceOf(route: ResourceRoute): string | undefined {
  return route.type.kind === 'Namespace' ? route.name : undefined;
}

function fixedPath(context: ServerContext, request: ApiRequest): unknown {
  if (request.method !== 'GET') return undefined;
  switch (request.path) {
    case '/version':
      return versionInfo();
    case '/apis':
      return groupList();
    case '/api':
      return coreVersions(context.address());
    default:
      return undefined;
  }
}

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

function sendJson(response: ServerResponse, record: RequestRecord, status: number, body: unknown): void {
  record.status = status;
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, record: RequestRecord, error: ApiError, retryAfterSeconds?: number): void {
  record.status = error.code;
  if (response.headersSent) {
    response.end();
    return;
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
  response.writeHead(error.code, headers);
  response.end(JSON.stringify(error.toStatus()));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
