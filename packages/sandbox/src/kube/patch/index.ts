import fastJsonPatch from 'fast-json-patch';

import { ApiError, badRequest, unsupportedMediaType } from '../errors.ts';
import type { KubeObject } from '../types.ts';
import { applyMergePatch, isPlainObject } from './merge-patch.ts';
import { strategicPatchKinds } from './patch-meta.ts';
import { applyStrategicMergePatch } from './strategic-merge.ts';

/** The patch content types, as the `Content-Type` header names them. */
export const patchTypes = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** Returns the patch content types a kind accepts: strategic merge only for built-in kinds. */
export function acceptedPatchTypes(kind: string): string[] {
  const types: string[] = [patchTypes.json, patchTypes.merge];
  if (strategicPatchKinds.has(kind)) types.push(patchTypes.strategic);
  types.push(patchTypes.apply);
  return types;
}

/**
 * Applies a JSON patch, merge patch or strategic merge patch body to a copy
 * of the live object. Raises 415 for a content type the kind does not
 * accept, 400 for a body that does not parse and 422 for a JSON patch
 * operation that fails (a `test` that does not match, a missing path).
 */
export function applyPatch(contentType: string, live: KubeObject, body: string): KubeObject {
  const kind = live.kind ?? '';
  if (!acceptedPatchTypes(kind).includes(contentType) || contentType === patchTypes.apply) {
    throw unsupportedMediaType(contentType, acceptedPatchTypes(kind));
  }

  const parsed = parseJson(body);
  if (contentType === patchTypes.json) return applyJsonPatch(live, parsed);
  if (!isPlainObject(parsed)) throw badRequest('the patch must be a JSON object');
  if (contentType === patchTypes.merge) return applyMergePatch(live, parsed) as KubeObject;
  return applyStrategicMergePatch(live, parsed, kind) as KubeObject;
}

function applyJsonPatch(live: KubeObject, operations: unknown): KubeObject {
  if (!Array.isArray(operations)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  try {
    const result = fastJsonPatch.applyPatch(structuredClone(live), operations as fastJsonPatch.Operation[], true, true, true);
    return result.newDocument;
  } catch (error) {
    throw jsonPatchError(error, operations);
  }
}

function jsonPatchError(error: unknown, operations: unknown[]): ApiError {
  const failure = error as { name?: string; index?: number; operation?: { path?: string; op?: string } };
  const path = failure.operation?.path ?? String((operations[failure.index ?? 0] as { path?: string })?.path ?? '');
  if (failure.name === 'TEST_OPERATION_FAILED') return rejectedPatch(`testing value ${path} failed: test failed`);
  if (typeof failure.name === 'string' && failure.name.startsWith('OPERATION_')) {
    return rejectedPatch(`${failure.operation?.op ?? 'patch'} operation does not apply: doc is missing path: "${path}"`);
  }
  return badRequest(`invalid JSON patch: ${(error as Error).message}`);
}

/** Builds the 422 the API server returns for a JSON patch that does not apply: a generic message, the cause in details. */
function rejectedPatch(cause: string): ApiError {
  return new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message: cause }],
  });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message}`);
  }
}
