import { badRequest } from '../errors.ts';
import { isPlainObject } from './merge-patch.ts';
import { mergeKeyFor, mergesPrimitives } from './patch-meta.ts';

const orderPrefix = '$setElementOrder/';
const deletePrimitivesPrefix = '$deleteFromPrimitiveList/';

/**
 * Applies a strategic merge patch to an object of a built-in kind, as the
 * API server does: maps merge, `null` removes a key, lists with a merge key
 * (containers by name, env by name, ports by containerPort...) merge element
 * by element, and the directives kubectl sends are honoured: `$patch`
 * (replace, delete, merge), `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>`.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown, kind: string): unknown {
  if (!isPlainObject(patch)) throw badRequest('the strategic merge patch must be a JSON object');
  return mergeMap(isPlainObject(target) ? target : {}, patch, [], kind);
}

function mergeMap(target: Record<string, unknown>, patch: Record<string, unknown>, path: string[], kind: string): Record<string, unknown> | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch) as Record<string, unknown>;

  const result: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(orderPrefix) || key.startsWith(deletePrimitivesPrefix)) continue;

    const childPath = [...path, key];
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value)) {
      const merged = mergeMap(isPlainObject(result[key]) ? result[key] : {}, value, childPath, kind);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = mergeList(Array.isArray(result[key]) ? result[key] : [], value, childPath, kind);
    } else {
      result[key] = value;
    }
  }

  applyListDirectives(result, patch, path, kind);
  if (Array.isArray(patch.$retainKeys)) {
    const retained = new Set(patch.$retainKeys.map(String));
    for (const key of Object.keys(result)) if (!retained.has(key)) delete result[key];
  }
  return result;
}

function applyListDirectives(result: Record<string, unknown>, patch: Record<string, unknown>, path: string[], kind: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(deletePrimitivesPrefix) && Array.isArray(value)) {
      const field = key.slice(deletePrimitivesPrefix.length);
      const removed = new Set(value.map((item) => JSON.stringify(item)));
      if (Array.isArray(result[field])) result[field] = result[field].filter((item) => !removed.has(JSON.stringify(item)));
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(orderPrefix) && Array.isArray(value)) {
      const field = key.slice(orderPrefix.length);
      if (Array.isArray(result[field])) result[field] = orderList(result[field], value, mergeKeyFor([...path, field], kind));
    }
  }
}

function mergeList(target: unknown[], patch: unknown[], path: string[], kind: string): unknown[] {
  const replaceDirective = patch.find((item) => isPlainObject(item) && item.$patch === 'replace');
  if (replaceDirective) return patch.filter((item) => item !== replaceDirective).map(stripDirectives);

  const key = mergeKeyFor(path, kind);
  if (key === undefined) {
    if (mergesPrimitives(path)) return [...target, ...patch.filter((item) => !target.includes(item))];
    return patch.map(stripDirectives);
  }

  const result = [...target];
  for (const item of patch) {
    if (!isPlainObject(item)) throw badRequest(`element of the list ${path.join('.')} must be an object with the merge key "${key}"`);
    const index = result.findIndex((existing) => isPlainObject(existing) && existing[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = mergeMap(result[index] as Record<string, unknown>, item, path, kind);
    else result.push(stripDirectives(item));
  }
  return result;
}

/** Orders a merged list as `$setElementOrder` asks; elements the order does not name keep their place at the end. */
function orderList(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const identity = (item: unknown) => JSON.stringify(key !== undefined && isPlainObject(item) ? item[key] : item);
  const positions = new Map(order.map((item, index) => [identity(item), index]));
  return [...list].sort((a, b) => (positions.get(identity(a)) ?? order.length) - (positions.get(identity(b)) ?? order.length));
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    result[key] = stripDirectives(child);
  }
  return result;
}
