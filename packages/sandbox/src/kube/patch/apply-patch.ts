import { parse } from 'yaml';

import { badRequest } from '../errors.ts';
import type { KubeObject } from '../types.ts';
import { isPlainObject } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge.ts';
import { fieldSetOf, pruneDroppedFields, type FieldSet } from './field-set.ts';
import { formatTime } from '../time.ts';

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
 * Merges a server-side apply configuration into the live object: maps
 * merge and keyed lists merge by their key, as strategic merge does. Fields
 * the same manager applied before and leaves out now are removed unless
 * another applying manager still sets them. The manager's entry in
 * metadata.managedFields records the fields it now sets.
 */
export function applyConfiguration(live: KubeObject, configuration: KubeObject, manager: string): KubeObject {
  // TODO: conflicts with other managers are not detected; a real server
  // returns 409 for a field another manager owns unless force=true.
  const kind = live.kind ?? configuration.kind ?? '';
  const merged = applyStrategicMergePatch(live, withoutNulls(configuration), kind) as KubeObject;

  const entries = (live.metadata.managedFields ?? []).filter(isPlainObject) as ManagedFieldsEntry[];
  const previous = entries.find((entry) => entry.manager === manager && entry.operation === 'Apply');
  const others = entries.filter((entry) => entry !== previous && entry.operation === 'Apply').map((entry) => entry.fieldsV1 ?? {});
  const next = fieldSetOf(configuration, kind);
  if (previous?.fieldsV1) pruneDroppedFields(merged, previous.fieldsV1, next, others);

  merged.metadata.managedFields = recordManager(live.metadata.managedFields, manager, configuration.apiVersion ?? '', next);
  return merged;
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  fieldsV1?: FieldSet;
}

/** Returns the managedFields list with the manager's Apply entry added or refreshed. */
export function recordManager(existing: unknown[] | undefined, manager: string, apiVersion: string, fields: FieldSet): unknown[] {
  const others = (existing ?? []).filter((entry) => !(isPlainObject(entry) && entry.manager === manager && entry.operation === 'Apply'));
  return [...others, { manager, operation: 'Apply', apiVersion, time: formatTime(), fieldsType: 'FieldsV1', fieldsV1: fields }];
}

function withoutNulls(value: unknown): any {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (child !== null) result[key] = withoutNulls(child);
  return result;
}
