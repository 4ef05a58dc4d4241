import { randomUUID } from 'node:crypto';

import { alreadyExists, expired, notFound } from './errors.ts';
import { resourceKey, type ResourceType } from './resources.ts';
import { formatTime } from './time.ts';
import type { KubeObject } from './types.ts';

/** A change to one stored object, as watch streams deliver it. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceType;
  /** The object after the change, or the last state of a deleted object with the deletion's resourceVersion. */
  object: KubeObject;
  /** The object before the change, for MODIFIED and DELETED. */
  previous?: KubeObject;
  revision: number;
}

/** Receives every change after it is stored. */
export type StoreListener = (event: StoreEvent) => void;

/** The number of events kept for watches that start from an older resourceVersion. */
const defaultHistoryLimit = 10_000;

/**
 * Stores API objects by resource type, namespace and name, with one
 * revision counter for all writes as etcd has. Each write stamps the new
 * revision into metadata.resourceVersion and records an event, so watches
 * can resume from a resourceVersion until the history is compacted.
 *
 * The store is mechanical: it checks names and resourceVersions but applies
 * no API semantics (defaulting, generation, status rules live in the registry).
 * Reads return copies, so callers may change what they get.
 */
export class Store {
  private revision = 1000;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  private oldestRevision = 1000;
  private readonly listeners = new Set<StoreListener>();
  private readonly historyLimit: number;

  constructor(options: { historyLimit?: number } = {}) {
    this.historyLimit = options.historyLimit ?? defaultHistoryLimit;
  }

  /** The revision of the latest write, as list responses report it. */
  get currentRevision(): number {
    return this.revision;
  }

  /** Returns a copy of one object, or undefined when it does not exist. */
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.table(type).get(objectKey(type, namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  /** Returns a copy of one object, raising the API's 404 when it does not exist. */
  require(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.get(type, namespace, name);
    if (!found) throw notFound(type.plural, type.group, name);
    return found;
  }

  /** Returns copies of all objects of a type, in one namespace or in all of them, sorted by namespace and name. */
  list(type: ResourceType, namespace?: string): KubeObject[] {
    const items: KubeObject[] = [];
    for (const object of this.table(type).values()) {
      if (namespace === undefined || object.metadata.namespace === namespace) items.push(structuredClone(object));
    }
    return items.sort((a, b) => compareKeys(a, b));
  }

  /**
   * Stores a new object: sets uid, creationTimestamp, resourceVersion and
   * (for resources with a spec) generation 1. Raises 409 AlreadyExists when the name is taken.
   */
  create(type: ResourceType, object: KubeObject): KubeObject {
    const key = objectKey(type, object.metadata.namespace, object.metadata.name!);
    if (this.table(type).has(key)) throw alreadyExists(type.plural, type.group, object.metadata.name!);

    const stored = structuredClone(object);
    stored.metadata.uid = randomUUID();
    stored.metadata.creationTimestamp = formatTime();
    if (type.hasSpec || type.plural === 'pods') stored.metadata.generation = 1;
    this.write(type, key, stored, 'ADDED', undefined);
    return structuredClone(stored);
  }

  /** Replaces an existing object and stamps a new resourceVersion. The caller has checked preconditions. */
  replace(type: ResourceType, object: KubeObject): KubeObject {
    const key = objectKey(type, object.metadata.namespace, object.metadata.name!);
    const previous = this.table(type).get(key);
    if (!previous) throw notFound(type.plural, type.group, object.metadata.name!);

    const stored = structuredClone(object);
    this.write(type, key, stored, 'MODIFIED', previous);
    return structuredClone(stored);
  }

  /** Removes an object and records a DELETED event carrying its last state. */
  remove(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const key = objectKey(type, namespace, name);
    const previous = this.table(type).get(key);
    if (!previous) throw notFound(type.plural, type.group, name);

    this.table(type).delete(key);
    const last = structuredClone(previous);
    this.revision += 1;
    last.metadata.resourceVersion = String(this.revision);
    this.record({ type: 'DELETED', resource: type, object: last, previous, revision: this.revision });
    return structuredClone(last);
  }

  /**
   * Returns the recorded events of one resource type after a revision.
   * Raises 410 Expired when events after that revision were already dropped.
   */
  eventsSince(type: ResourceType, revision: number): StoreEvent[] {
    if (revision < this.oldestRevision) throw expired(revision, this.oldestRevision + 1);
    const key = resourceKey(type);
    return this.history.filter((event) => event.revision > revision && resourceKey(event.resource) === key);
  }

  /** Drops the whole event history, so a watch from any earlier resourceVersion gets 410 Expired. */
  compact(): void {
    this.history = [];
    this.oldestRevision = this.revision;
  }

  /** Registers a listener for every later change; returns the function that removes it. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private write(type: ResourceType, key: string, stored: KubeObject, kind: 'ADDED' | 'MODIFIED', previous: KubeObject | undefined): void {
    this.revision += 1;
    stored.metadata.resourceVersion = String(this.revision);
    this.table(type).set(key, stored);
    this.record({ type: kind, resource: type, object: structuredClone(stored), previous, revision: this.revision });
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.oldestRevision = dropped.at(-1)!.revision;
    }
    for (const listener of this.listeners) listener(event);
  }

  private table(type: ResourceType): Map<string, KubeObject> {
    const key = resourceKey(type);
    let table = this.objects.get(key);
    if (!table) {
      table = new Map();
      this.objects.set(key, table);
    }
    return table;
  }
}

function objectKey(type: ResourceType, namespace: string | undefined, name: string): string {
  return type.namespaced ? `${namespace ?? ''}/${name}` : name;
}

function compareKeys(a: KubeObject, b: KubeObject): number {
  const left = `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`;
  const right = `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`;
  return left < right ? -1 : left > right ? 1 : 0;
}
