import { JSONPath } from 'jsonpath-plus';

/** The values a JSONPath expression selects from a document. */
export interface PathSelection {
  found: boolean;
  /** The single selected value, or the list of values when the path selects several. */
  value: unknown;
}

/**
 * Evaluates a JSONPath expression (jsonpath-plus syntax, filter scripts in
 * its "safe" evaluator, which runs no JavaScript `eval`). A path that selects
 * one value yields that value; a path with wildcards or filters that selects
 * several yields the list of them, so `length` counts matches.
 */
export function selectPath(document: unknown, path: string): PathSelection {
  const matches = JSONPath({ path, json: document as object, wrap: true, eval: 'safe' }) as unknown[];
  if (matches.length === 0) return { found: false, value: undefined };
  if (matches.length === 1 && !/\*|\.\.|\[\?|,|:/.test(path)) return { found: true, value: matches[0] };
  return { found: true, value: matches };
}
