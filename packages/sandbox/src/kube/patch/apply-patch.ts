import { parse } from 'yaml';

import { badRequest } from '../errors.ts';
import type { KubeObject } from '../types.ts';
import { isPlainObject } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge.ts';

/** Parses the YAML (or JSON) body of a server-side apply request. */
export function parseApplyBody(text: string): KubeObject {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw badRequest('the apply configuration must be a YAML or JSON object');
  return parsed as KubeObject;
}

/**
 * Merges a server-side apply configuration into the live object: maps merge
 * and keyed lists merge by their key, as strategic merge does, and the
 * manager's entry in metadata.managedFields is recorded.
 */
export function applyConfiguration(live: KubeObject, configuration: KubeObject, manager: string): KubeObject {
  // TODO: fields that the same manager applied before and left out now are
  // kept, and conflicts with other managers are not detected; a real server
  // removes such fields and answers 409 unless force=true.
  const merged = applyStrategicMergePatch(live, withoutNulls(configuration), live.kind ?? configuration.kind ?? '') as KubeObject;
  merged.metadata.managedFields = recordManager(live.metadata.managedFields, manager, configuration.apiVersion ?? '');
  return merged;
}

/** Returns the managedFields list with the manager's Apply entry added or refreshed. */
export function recordManager(existing: unknown[] | undefined, manager: string, apiVersion: string): unknown[] {
  const others = (existing ?? []).filter((entry) => !(isPlainObject(entry) && entry.manager === manager && entry.operation === 'Apply'));
  return [...others, { manager, operation: 'Apply', apiVersion, time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), fieldsType: 'FieldsV1', fieldsV1: {} }];
}

function withoutNulls(value: unknown): any {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (child !== null) result[key] = withoutNulls(child);
  return result;
}
