import type { IncomingHttpHeaders } from 'node:http';

import { parse as parseYaml } from 'yaml';

import { ApiError, badRequest, methodNotAllowed, unsupportedMediaType } from './errors.ts';
import { renderPodLog } from './logs.ts';
import { applyPatch, patchTypes, acceptedPatchTypes } from './patch/index.ts';
import { applyConfiguration, parseApplyBody, recordManager } from './patch/apply-patch.ts';
import { fieldSetOf } from './patch/field-set.ts';
import { decodeProtobufObject, protobufContentType } from './protobuf.ts';
import type { PropagationPolicy, Registry } from './registry.ts';
import { groupVersion, type ResourceType } from './resources.ts';
import type { ResourceRoute } from './routes.ts';
import { formatLabelSelector, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { toTable, wantsTable } from './table.ts';
import type { KubeObject } from './types.ts';

/** A parsed API request, as the handlers see it. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body as received, for binary (protobuf) content. */
  rawBody: Buffer;
  contentType: string;
  user: string;
}

/** A complete (non-streaming) response. */
export interface ApiResponse {
  status: number;
  body: unknown;
  contentType?: string;
}

const bodyTypes = ['application/json', 'application/yaml'];

/** Returns the API verb of a request on a resource route, as authorization and errors name it. */
export function verbOf(method: string, route: ResourceRoute, query: URLSearchParams): string {
  const watching = query.get('watch') === 'true' || query.get('watch') === '1';
  switch (method) {
    case 'GET':
      if (watching) return 'watch';
      return route.name === undefined ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name === undefined ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}

/** Serves one non-watch request on a resource route. */
export function handleResource(registry: Registry, route: ResourceRoute, request: ApiRequest): ApiResponse {
  const verb = verbOf(request.method, route, request.query);
  if (request.query.has('dryRun')) throw badRequest('dryRun is not supported by the atom-actions Kubernetes simulator');

  if (route.subresource === 'log') {
    if (verb !== 'get') throw methodNotAllowed(request.method, route.type.plural);
    const pod = registry.store.require(route.type, route.namespace, route.name!);
    return { status: 200, body: renderPodLog(pod, request.query), contentType: 'text/plain' };
  }
  if (route.subresource === 'scale') return handleScale(registry, route, request, verb);

  switch (verb) {
    case 'get':
      return present(request, route.type, registry.store.require(route.type, route.namespace, route.name!));
    case 'list':
      return presentList(request, route.type, listObjects(registry, route, request.query), String(registry.store.currentRevision));
    case 'create':
      return { status: 201, body: withKind(route.type, registry.create(route.type, route.namespace, readBody(request))) };
    case 'update':
      return { status: 200, body: withKind(route.type, registry.update(route.type, route.namespace, route.name!, readBody(request), statusOnly(route))) };
    case 'patch':
      return patchObject(registry, route, request);
    case 'delete':
      return { status: 200, body: deleteObject(registry, route, request) };
    case 'deletecollection':
      return { status: 200, body: deleteCollection(registry, route, request) };
    default:
      throw methodNotAllowed(request.method, route.type.plural);
  }
}

function statusOnly(route: ResourceRoute): 'status' | undefined {
  return route.subresource === 'status' ? 'status' : undefined;
}

/** Returns the objects of a list request after label and field selectors, sorted by namespace and name. */
export function listObjects(registry: Registry, route: ResourceRoute, query: URLSearchParams): KubeObject[] {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '', route.type.plural);
  return registry.store
    .list(route.type, route.namespace)
    .filter((object) => matchesLabels(labels, object.metadata.labels) && matchesFields(fields, object));
}

function presentList(request: ApiRequest, type: ResourceType, all: KubeObject[], currentRevision: string): ApiResponse {
  const { items, continueToken, revision } = paginate(all, request.query, currentRevision);
  const metadata: Record<string, unknown> = { resourceVersion: revision };
  if (continueToken) {
    metadata.continue = continueToken;
  }
  if (wantsTable(request.headers.accept)) return { status: 200, body: toTable(type, items, metadata) };

  const body = {
    kind: `${type.kind}List`,
    apiVersion: groupVersion(type),
    metadata,
    items: items.map((item) => ({ ...item, apiVersion: undefined, kind: undefined })).map(stripUndefined),
  };
  return { status: 200, body };
}

/** Splits a list into pages for `limit` and `continue`; the continue token stores the offset and revision of the first page. */
function paginate(all: KubeObject[], query: URLSearchParams, revision: string): { items: KubeObject[]; continueToken?: string; revision: string } {
  let offset = 0;
  let pageRevision = revision;
  const token = query.get('continue');
  if (token) {
    try {
      const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: number; revision: string };
      offset = decoded.offset;
      pageRevision = decoded.revision;
    } catch {
      throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    }
  }

  const limit = Number(query.get('limit') ?? 0);
  if (!limit || limit <= 0) return { items: all.slice(offset), revision: pageRevision };
  const items = all.slice(offset, offset + limit);
  if (offset + limit >= all.length) return { items, revision: pageRevision };
  const continueToken = Buffer.from(JSON.stringify({ offset: offset + limit, revision: pageRevision })).toString('base64');
  return { items, continueToken, revision: pageRevision };
}

function present(request: ApiRequest, type: ResourceType, object: KubeObject): ApiResponse {
  if (wantsTable(request.headers.accept)) {
    return { status: 200, body: toTable(type, [object], { resourceVersion: object.metadata.resourceVersion }) };
  }
  return { status: 200, body: withKind(type, object) };
}

/** Returns the object with apiVersion and kind set, as single-object responses carry them. */
export function withKind(type: ResourceType, object: KubeObject): KubeObject {
  return { apiVersion: groupVersion(type), kind: type.kind, ...object };
}

function stripUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

function readBody(request: ApiRequest): KubeObject {
  const mediaType = request.contentType;
  if (mediaType === protobufContentType) return decodeProtobufObject(request.rawBody);
  if (!bodyTypes.includes(mediaType)) throw unsupportedMediaType(mediaType, [...bodyTypes, protobufContentType]);
  try {
    return (mediaType === 'application/yaml' ? parseYaml(request.body) : JSON.parse(request.body)) as KubeObject;
  } catch (error) {
    throw badRequest(`error decoding the request body: ${(error as Error).message}`);
  }
}

function patchObject(registry: Registry, route: ResourceRoute, request: ApiRequest): ApiResponse {
  const subresource = statusOnly(route);
  if (request.contentType === patchTypes.apply) return serverSideApply(registry, route, request);

  const live = withKind(route.type, registry.store.require(route.type, route.namespace, route.name!));
  // A patch that sets metadata.resourceVersion keeps it, so the update below raises 409 when it is stale.
  const patched = applyPatch(request.contentType, live, request.body);
  return { status: 200, body: withKind(route.type, registry.update(route.type, route.namespace, route.name!, patched, subresource)) };
}

function serverSideApply(registry: Registry, route: ResourceRoute, request: ApiRequest): ApiResponse {
  const manager = request.query.get('fieldManager');
  if (!manager) throw badRequest('PATCH requests with the apply-patch+yaml content type need the fieldManager query parameter');

  const configuration = parseApplyBody(request.body);
  const live = registry.store.get(route.type, route.namespace, route.name!);
  if (!live) {
    const created = { ...configuration, metadata: { ...configuration.metadata, name: route.name } };
    created.metadata.managedFields = recordManager(undefined, manager, configuration.apiVersion ?? groupVersion(route.type), fieldSetOf(configuration, route.type.kind));
    return { status: 201, body: withKind(route.type, registry.create(route.type, route.namespace, created)) };
  }

  const merged = applyConfiguration(withKind(route.type, live), configuration, manager);
  if (configuration.metadata?.resourceVersion === undefined) merged.metadata.resourceVersion = live.metadata.resourceVersion;
  return { status: 200, body: withKind(route.type, registry.update(route.type, route.namespace, route.name!, merged, statusOnly(route))) };
}

function deleteOptions(request: ApiRequest): { policy: PropagationPolicy; preconditions?: { uid?: string; resourceVersion?: string } } {
  let options: { propagationPolicy?: PropagationPolicy; orphanDependents?: boolean; preconditions?: { uid?: string; resourceVersion?: string } } = {};
  if (request.body.trim()) {
    try {
      options = JSON.parse(request.body);
    } catch (error) {
      throw badRequest(`error decoding DeleteOptions: ${(error as Error).message}`);
    }
  }
  const fromQuery = request.query.get('propagationPolicy') as PropagationPolicy | null;
  const policy = fromQuery ?? options.propagationPolicy ?? (options.orphanDependents ? 'Orphan' : 'Background');
  if (!['Background', 'Foreground', 'Orphan'].includes(policy)) throw badRequest(`unsupported propagationPolicy ${JSON.stringify(policy)}`);
  return { policy, preconditions: options.preconditions };
}

function deleteObject(registry: Registry, route: ResourceRoute, request: ApiRequest): unknown {
  const { policy, preconditions } = deleteOptions(request);
  const removed = registry.delete(route.type, route.namespace, route.name!, policy, preconditions);
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: removed.metadata.name, group: route.type.group, kind: route.type.plural, uid: removed.metadata.uid },
  };
}

function deleteCollection(registry: Registry, route: ResourceRoute, request: ApiRequest): unknown {
  const { policy } = deleteOptions(request);
  const removed = listObjects(registry, route, request.query).map((object) =>
    registry.delete(route.type, object.metadata.namespace, object.metadata.name!, policy),
  );
  return { kind: `${route.type.kind}List`, apiVersion: groupVersion(route.type), metadata: {}, items: removed };
}

function scaleOf(type: ResourceType, object: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: object.spec?.replicas ?? 0 },
    status: { replicas: object.status?.replicas ?? 0, selector: formatLabelSelector(object.spec?.selector) },
  };
}

function handleScale(registry: Registry, route: ResourceRoute, request: ApiRequest, verb: string): ApiResponse {
  const live = registry.store.require(route.type, route.namespace, route.name!);
  if (verb === 'get') return { status: 200, body: scaleOf(route.type, live) };
  if (verb !== 'update' && verb !== 'patch') throw methodNotAllowed(request.method, `${route.type.plural}/scale`);

  let scale: KubeObject;
  if (verb === 'update') {
    scale = readBody(request);
  } else {
    if (request.contentType === patchTypes.apply) throw unsupportedMediaType(request.contentType, acceptedPatchTypes('Scale'));
    scale = applyPatch(request.contentType, { ...scaleOf(route.type, live), kind: 'Deployment' }, request.body);
  }

  const replicas = scale.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new ApiError(422, 'Invalid', `Scale.autoscaling "${route.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
  }
  const next = { ...live, spec: { ...live.spec, replicas } };
  next.metadata = { ...live.metadata, resourceVersion: scale.metadata?.resourceVersion || live.metadata.resourceVersion };
  const updated = registry.update(route.type, route.namespace, route.name!, withKind(route.type, next));
  return { status: 200, body: scaleOf(route.type, updated) };
}
