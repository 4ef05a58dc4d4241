import { createHash } from 'node:crypto';

import { simulatedVersion } from './discovery.ts';
import { acceptedPatchTypes } from './patch/index.ts';
import { groupVersion, resourceTypes, type ResourceType } from './resources.ts';

/**
 * Serves a minimal OpenAPI v3 description: `/openapi/v3` lists the group
 * versions and `/openapi/v3/<api|apis/group>/<version>` describes the
 * PATCH operation of each resource with its `x-kubernetes-group-version-kind`
 * and the `fieldValidation` query parameter. That is what kubectl 1.32
 * reads to learn that the server validates fields itself, so `kubectl
 * apply` works without `--validate=false`. The documents carry no schemas
 * and do not list strategic merge patch, so kubectl computes apply patches
 * from its compiled-in types. Returns undefined for other paths
 * (`/openapi/v2` among them, which kubectl then does without).
 */
export function serveOpenApi(path: string, accept: string | undefined): { contentType: string; body: string } | undefined {
  void accept;
  if (path === '/openapi/v3' || path === '/openapi/v3/') return json({ paths: Object.fromEntries(groupVersions().map((entry) => [entry.key, { serverRelativeURL: `/openapi/v3/${entry.key}?hash=${entry.hash}` }])) });

  const entry = groupVersions().find((candidate) => path === `/openapi/v3/${candidate.key}`);
  return entry ? json(entry.document) : undefined;
}

function json(body: unknown): { contentType: string; body: string } {
  return { contentType: 'application/json', body: JSON.stringify(body) };
}

interface GroupVersionDocument {
  key: string;
  hash: string;
  document: Record<string, unknown>;
}

let cached: GroupVersionDocument[] | undefined;

function groupVersions(): GroupVersionDocument[] {
  if (cached) return cached;
  const byKey = new Map<string, ResourceType[]>();
  for (const type of resourceTypes) {
    const key = type.group ? `apis/${type.group}/${type.version}` : `api/${type.version}`;
    byKey.set(key, [...(byKey.get(key) ?? []), type]);
  }
  cached = [...byKey].map(([key, types]) => {
    const document = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: simulatedVersion.gitVersion },
      paths: Object.fromEntries(types.map((type) => [objectPath(type), { patch: patchOperation(type) }])),
      components: { schemas: {} },
    };
    const hash = createHash('sha512').update(JSON.stringify(document)).digest('hex').slice(0, 128).toUpperCase();
    return { key, hash, document };
  });
  return cached;
}

function objectPath(type: ResourceType): string {
  const base = type.group ? `/apis/${groupVersion(type)}` : `/api/${type.version}`;
  return type.namespaced ? `${base}/namespaces/{namespace}/${type.plural}/{name}` : `${base}/${type.plural}/{name}`;
}

function patchOperation(type: ResourceType): Record<string, unknown> {
  const mediaTypes = acceptedPatchTypes(type.kind).filter((mediaType) => !mediaType.includes('strategic'));
  return {
    description: `partially update the specified ${type.kind}`,
    operationId: `patch${type.kind}`,
    parameters: [
      { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
    ],
    requestBody: { content: Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, { schema: { type: 'object' } }])), required: true },
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': { group: type.group, version: type.version, kind: type.kind },
  };
}
