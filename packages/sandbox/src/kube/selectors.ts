import { badRequest } from './errors.ts';
import type { KubeObject, LabelSelector } from './types.ts';

/** One parsed requirement of a label selector such as `tier in (web,api)` or `!canary`. */
export interface Requirement {
  key: string;
  operator: 'in' | 'notin' | 'exists' | '!exists';
  values: string[];
}

/** A parsed selector: an object matches when it meets every requirement. */
export type Selector = Requirement[];

const keyPattern = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

/**
 * Parses a label selector in the query syntax of the Kubernetes API
 * (`a=b,c!=d,e in (f,g),h notin (i),j,!k`, with `==` as a synonym of `=`).
 * Raises a 400 BadRequest naming the selector when it does not parse.
 */
export function parseLabelSelector(text: string): Selector {
  const requirements: Requirement[] = [];
  for (const part of splitTopLevel(text)) {
    const requirement = parseRequirement(part.trim(), text);
    if (requirement) requirements.push(requirement);
  }
  return requirements;
}

function parseRequirement(part: string, whole: string): Requirement | undefined {
  if (part === '') return undefined;
  const fail = () => badRequest(`unable to parse requirement: ${JSON.stringify(part)} in label selector ${JSON.stringify(whole)}`);

  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (setMatch) {
    const values = setMatch[3]!.split(',').map((value) => value.trim()).filter((value) => value !== '');
    return checkKey({ key: setMatch[1]!, operator: setMatch[2] as 'in' | 'notin', values }, fail);
  }

  const notExists = /^!\s*(\S+)$/.exec(part);
  if (notExists) return checkKey({ key: notExists[1]!, operator: '!exists', values: [] }, fail);

  const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (equality) {
    const operator = equality[2] === '!=' ? 'notin' : 'in';
    return checkKey({ key: equality[1]!, operator, values: [equality[3]!] }, fail);
  }

  if (/^\S+$/.test(part)) return checkKey({ key: part, operator: 'exists', values: [] }, fail);
  throw fail();
}

const valuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(requirement: Requirement, fail: () => Error): Requirement {
  if (!keyPattern.test(requirement.key)) throw fail();
  if (requirement.values.some((value) => value.length > 63 || !valuePattern.test(value))) throw fail();
  return requirement;
}

/** Splits a selector at the commas that are not inside `( )`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of text) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += character;
  }
  parts.push(current);
  return parts;
}

/** Converts the structured selector of a Deployment or ReplicaSet spec into requirements. */
export function fromLabelSelector(selector: LabelSelector | undefined): Selector {
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    requirements.push({ key, operator: 'in', values: [value] });
  }
  for (const expression of selector?.matchExpressions ?? []) {
    const operator = expression.operator.toLowerCase();
    const mapped = operator === 'doesnotexist' ? '!exists' : operator;
    if (mapped !== 'in' && mapped !== 'notin' && mapped !== 'exists' && mapped !== '!exists') {
      throw badRequest(`${JSON.stringify(expression.operator)} is not a valid label selector operator`);
    }
    requirements.push({ key: expression.key, operator: mapped, values: expression.values ?? [] });
  }
  return requirements;
}

/** Formats a structured selector in the query syntax, as kubectl sends it. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  return fromLabelSelector(selector)
    .map((requirement) => {
      if (requirement.operator === 'exists') return requirement.key;
      if (requirement.operator === '!exists') return `!${requirement.key}`;
      if (requirement.operator === 'in' && requirement.values.length === 1) return `${requirement.key}=${requirement.values[0]}`;
      return `${requirement.key} ${requirement.operator} (${requirement.values.join(',')})`;
    })
    .join(',');
}

/** Returns whether a set of labels meets every requirement of the selector. */
export function matchesLabels(selector: Selector, labels: Record<string, string> | undefined): boolean {
  return selector.every((requirement) => {
    const present = labels !== undefined && Object.hasOwn(labels, requirement.key);
    const value = present ? labels[requirement.key] : undefined;
    switch (requirement.operator) {
      case 'exists':
        return present;
      case '!exists':
        return !present;
      case 'in':
        return present && requirement.values.includes(value!);
      case 'notin':
        return !present || !requirement.values.includes(value!);
    }
  });
}

/** One `field=value` or `field!=value` term of a field selector. */
export interface FieldRequirement {
  field: string;
  negated: boolean;
  value: string;
}

const commonFields = ['metadata.name', 'metadata.namespace'];

/** Field selector labels that the real API server supports per resource, beyond metadata.name and metadata.namespace. */
const extraFields: Record<string, string[]> = {
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP'],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  replicasets: ['status.replicas'],
  namespaces: ['status.phase'],
};

/**
 * Parses a field selector such as `metadata.name=web`. Raises a 400 for a
 * field label the resource does not support, as the real server does.
 */
export function parseFieldSelector(text: string, plural: string): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const match = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);

    const field = match[1]!;
    if (!commonFields.includes(field) && !(extraFields[plural] ?? []).includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    requirements.push({ field, negated: match[2] === '!=', value: match[3]! });
  }
  return requirements;
}

/** Returns whether an object meets every term of a parsed field selector. */
export function matchesFields(requirements: FieldRequirement[], object: KubeObject): boolean {
  return requirements.every((requirement) => {
    const actual = fieldValue(object, requirement.field);
    return requirement.negated ? actual !== requirement.value : actual === requirement.value;
  });
}

function fieldValue(object: KubeObject, path: string): string {
  if (path === 'source') return String((object.source as { component?: string } | undefined)?.component ?? '');
  let current: unknown = object;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[segment];
  }
  return current === undefined || current === null ? '' : String(current);
}
