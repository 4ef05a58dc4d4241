import { isDeepStrictEqual } from 'node:util';

import { applyDefaults } from './defaults.ts';
import { badRequest, conflict, notFound } from './errors.ts';
import { kinds, resourceTypes, type ResourceType, groupVersion } from './resources.ts';
import type { Store } from './store.ts';
import type { KubeObject } from './types.ts';
import { validateObject } from './validation.ts';

/** The treatment of owned objects when their owner is deleted. */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

const generateNameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Applies the API semantics on top of the store, for HTTP clients and the
 * simulated controllers alike. It covers namespace checks, defaulting,
 * validation and optimistic concurrency on resourceVersion. It also covers
 * the split between the main resource and its `status` subresource,
 * metadata.generation and garbage collection of dependents.
 */
export class Registry {
  readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  /**
   * Creates an object in a namespace (undefined for cluster-scoped types).
   * Raises 404 when the namespace does not exist, 409 AlreadyExists and 422 Invalid.
   */
  create(type: ResourceType, namespace: string | undefined, body: KubeObject): KubeObject {
    const object = this.prepareNew(type, namespace, body);
    if (type.namespaced) this.requireNamespace(namespace!);

    applyDefaults(object);
    validateObject(type, object);
    if (object.kind === 'Deployment') object.status = {};
    return this.store.create(type, object);
  }

  /**
   * Replaces an object through the main resource or its status subresource.
   * A resourceVersion in the body must match the stored one (409 Conflict).
   * The main resource keeps the stored status and the status subresource
   * keeps the stored spec. A write that changes nothing is not stored, so
   * the resourceVersion stays the same, as on a real server.
   */
  update(type: ResourceType, namespace: string | undefined, name: string, body: KubeObject, subresource?: 'status'): KubeObject {
    checkIdentity(type, namespace, name, body);
    const existing = this.store.require(type, namespace, name);
    const expected = body.metadata?.resourceVersion;
    if (expected !== undefined && expected !== '' && expected !== existing.metadata.resourceVersion) {
      throw conflict(type.plural, type.group, name);
    }

    const next = subresource === 'status' ? mergeStatusUpdate(existing, body) : mergeMainUpdate(type, existing, body);
    applyDefaults(next);
    validateObject(type, next, existing);
    if (subresource !== 'status') bumpGeneration(type, existing, next);

    next.metadata.resourceVersion = existing.metadata.resourceVersion;
    if (isDeepStrictEqual(next, existing)) return existing;
    return this.store.replace(type, next);
  }

  /**
   * Deletes an object. Dependents (objects whose ownerReferences name it)
   * are deleted too, unless the policy is Orphan, which removes the owner
   * reference instead. Deleting a namespace deletes everything in it.
   */
  delete(type: ResourceType, namespace: string | undefined, name: string, policy: PropagationPolicy = 'Background', precondition?: { uid?: string; resourceVersion?: string }): KubeObject {
    const existing = this.store.require(type, namespace, name);
    if (precondition?.resourceVersion && precondition.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(type.plural, type.group, name);
    }
    if (precondition?.uid && precondition.uid !== existing.metadata.uid) throw conflict(type.plural, type.group, name);

    const removed = this.store.remove(type, namespace, name);
    if (type === kinds.namespace) this.deleteNamespaceContents(name);
    else this.collectDependents(existing, policy);
    return removed;
  }

  /** Raises the real API's 404 `namespaces "x" not found` when a namespace does not exist. */
  requireNamespace(namespace: string): void {
    if (!this.store.get(kinds.namespace, undefined, namespace)) throw notFound('namespaces', '', namespace);
  }

  private prepareNew(type: ResourceType, namespace: string | undefined, body: KubeObject): KubeObject {
    if (!body || typeof body !== 'object' || typeof body.metadata !== 'object' || body.metadata === null) {
      throw badRequest(`the body of the request must be a ${type.kind} object with metadata`);
    }
    const object = structuredClone(body);
    object.apiVersion ??= groupVersion(type);
    object.kind ??= type.kind;
    checkKind(type, object);

    if (type.namespaced) {
      if (object.metadata.namespace && object.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      object.metadata.namespace = namespace;
    } else {
      delete object.metadata.namespace;
    }

    if (!object.metadata.name && object.metadata.generateName) object.metadata.name = generateName(object.metadata.generateName);
    for (const field of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp']) delete object.metadata[field];
    return object;
  }

  private collectDependents(owner: KubeObject, policy: PropagationPolicy): void {
    const ownerUid = owner.metadata.uid;
    for (const type of resourceTypes) {
      if (!type.namespaced) continue;
      for (const dependent of this.store.list(type, owner.metadata.namespace)) {
        const references = dependent.metadata.ownerReferences ?? [];
        if (!references.some((reference) => reference.uid === ownerUid)) continue;

        if (policy === 'Orphan') {
          dependent.metadata.ownerReferences = references.filter((reference) => reference.uid !== ownerUid);
          this.store.replace(type, dependent);
        } else if (this.store.get(type, dependent.metadata.namespace, dependent.metadata.name!)) {
          this.delete(type, dependent.metadata.namespace, dependent.metadata.name!, policy);
        }
      }
    }
  }

  private deleteNamespaceContents(namespace: string): void {
    for (const type of resourceTypes) {
      if (!type.namespaced) continue;
      for (const object of this.store.list(type, namespace)) {
        if (this.store.get(type, namespace, object.metadata.name!)) this.store.remove(type, namespace, object.metadata.name!);
      }
    }
  }
}

function checkKind(type: ResourceType, object: KubeObject): void {
  if (object.kind !== type.kind || object.apiVersion !== groupVersion(type)) {
    throw badRequest(
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${groupVersion(type)})` +
        (object.kind !== type.kind ? ` or kind ${object.kind} is not ${type.kind}` : ''),
    );
  }
}

function checkIdentity(type: ResourceType, namespace: string | undefined, name: string, body: KubeObject): void {
  if (!body || typeof body !== 'object' || typeof body.metadata !== 'object' || body.metadata === null) {
    throw badRequest(`the body of the request must be a ${type.kind} object with metadata`);
  }
  if (body.metadata.name !== undefined && body.metadata.name !== name) {
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (type.namespaced && body.metadata.namespace && body.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

const systemFields = ['uid', 'creationTimestamp', 'generation', 'namespace', 'name', 'deletionTimestamp'];

function mergeMainUpdate(type: ResourceType, existing: KubeObject, body: KubeObject): KubeObject {
  const next = structuredClone(body);
  next.apiVersion = existing.apiVersion;
  next.kind = existing.kind;
  for (const field of systemFields) {
    if (existing.metadata[field] === undefined) delete next.metadata[field];
    else next.metadata[field] = existing.metadata[field];
  }
  if (type.subresources.includes('status')) {
    if (existing.status === undefined) delete next.status;
    else next.status = existing.status;
  }
  return next;
}

/**
 * Builds the object a status update stores: the new status, with spec and
 * labels kept from the stored object. Annotations may change through the
 * status subresource, which is how the deployment controller records
 * `deployment.kubernetes.io/revision`.
 */
function mergeStatusUpdate(existing: KubeObject, body: KubeObject): KubeObject {
  const next = structuredClone(existing);
  next.status = structuredClone(body.status);
  if (existing.kind === 'Deployment' && body.metadata.annotations !== undefined) {
    next.metadata.annotations = structuredClone(body.metadata.annotations);
  }
  return next;
}

/**
 * Bumps metadata.generation when the spec changes and, for Deployments,
 * when annotations change, because the controller copies annotations to
 * the ReplicaSets.
 */
function bumpGeneration(type: ResourceType, existing: KubeObject, next: KubeObject): void {
  if (!type.hasSpec) return;
  const specChanged = !isDeepStrictEqual(existing.spec, next.spec);
  const annotationsChanged = next.kind === 'Deployment' && !isDeepStrictEqual(existing.metadata.annotations ?? {}, next.metadata.annotations ?? {});
  if (specChanged || annotationsChanged) next.metadata.generation = (existing.metadata.generation ?? 1) + 1;
}

/** Returns a name from a prefix and five random characters, as the API server does for metadata.generateName. */
export function generateName(prefix: string): string {
  let suffix = '';
  for (let index = 0; index < 5; index += 1) {
    suffix += generateNameAlphabet[Math.floor(Math.random() * generateNameAlphabet.length)];
  }
  return `${prefix}${suffix}`;
}
