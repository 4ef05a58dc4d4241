import { isPlainObject } from './merge-patch.ts';
import { mergeKeyFor } from './patch-meta.ts';

/**
 * A set of field paths in the FieldsV1 format of metadata.managedFields:
 * `f:<name>` for a map field and `k:{"<key>":<value>}` for an element of a
 * list merged by key. Empty objects are leaves.
 */
export type FieldSet = { [key: string]: FieldSet };

const ignoredTopLevel = new Set(['apiVersion', 'kind']);
const ignoredMetadata = new Set(['name', 'namespace', 'resourceVersion', 'managedFields', 'uid', 'generation', 'creationTimestamp']);

/** Returns the fields a server-side apply configuration sets, as FieldsV1. */
export function fieldSetOf(configuration: unknown, kind: string): FieldSet {
  return collect(configuration, [], kind);
}

function collect(value: unknown, path: string[], kind: string): FieldSet {
  const set: FieldSet = {};
  if (!isPlainObject(value)) return set;

  for (const [key, child] of Object.entries(value)) {
    if (path.length === 0 && ignoredTopLevel.has(key)) continue;
    if (path.length === 1 && path[0] === 'metadata' && ignoredMetadata.has(key)) continue;

    const childPath = [...path, key];
    const mergeKey = Array.isArray(child) ? mergeKeyFor(childPath, kind) : undefined;
    if (isPlainObject(child)) {
      set[`f:${key}`] = collect(child, childPath, kind);
    } else if (Array.isArray(child) && mergeKey !== undefined) {
      const elements: FieldSet = {};
      for (const item of child) {
        if (isPlainObject(item)) elements[`k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`] = collect(item, childPath, kind);
      }
      set[`f:${key}`] = elements;
    } else {
      set[`f:${key}`] = {};
    }
  }
  return set;
}

/**
 * Removes from an object the fields a manager applied before and left out
 * of its new configuration, unless another manager's set still contains
 * them, as server-side apply does. Changes the object in place.
 */
export function pruneDroppedFields(target: unknown, previous: FieldSet, next: FieldSet, others: FieldSet[]): void {
  for (const [key, previousChild] of Object.entries(previous)) {
    const nextChild = next[key];
    const otherChildren = others.map((other) => other[key]).filter((child): child is FieldSet => child !== undefined);
    const location = locate(target, key);
    if (!location) continue;

    if (nextChild === undefined && otherChildren.length === 0) {
      location.remove();
    } else if (Object.keys(previousChild).length > 0) {
      pruneDroppedFields(location.value, previousChild, nextChild ?? {}, otherChildren);
    }
  }
}

function locate(target: unknown, key: string): { value: unknown; remove: () => void } | undefined {
  if (key.startsWith('f:') && isPlainObject(target)) {
    const name = key.slice(2);
    if (!(name in target)) return undefined;
    return { value: target[name], remove: () => delete target[name] };
  }
  if (key.startsWith('k:') && Array.isArray(target)) {
    const [[field, expected]] = Object.entries(JSON.parse(key.slice(2)) as Record<string, unknown>) as [[string, unknown]];
    const index = target.findIndex((item) => isPlainObject(item) && item[field] === expected);
    if (index < 0) return undefined;
    return { value: target[index], remove: () => target.splice(index, 1) };
  }
  return undefined;
}
