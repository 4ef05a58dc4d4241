import { isDeepStrictEqual } from 'node:util';

import { invalid, type FieldCause } from './errors.ts';
import type { ResourceType } from './resources.ts';
import { fromLabelSelector, matchesLabels } from './selectors.ts';
import type { KubeObject } from './types.ts';

const subdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Raises 422 Invalid when an object breaks one of the rules the simulator
 * checks. Names must be DNS-1123 subdomains. Deployments and ReplicaSets
 * need a selector that matches the template, non-negative replicas and
 * containers with a name and image. Rolling-update limits must not both be
 * zero, and the selector may not change on update. Real clusters check
 * many more fields.
 */
export function validateObject(type: ResourceType, object: KubeObject, previous?: KubeObject): void {
  const causes: FieldCause[] = [];
  const name = object.metadata.name ?? '';

  if (!subdomainPattern.test(name) || name.length > 253) {
    causes.push({
      field: 'metadata.name',
      message:
        `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case ` +
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    });
  }
  if (object.kind === 'Deployment' || object.kind === 'ReplicaSet') validateWorkload(object, previous, causes);

  if (causes.length > 0) throw invalid(type.kind, type.group, name, causes);
}

function validateWorkload(object: KubeObject, previous: KubeObject | undefined, causes: FieldCause[]): void {
  const spec = object.spec ?? {};
  if (typeof spec.replicas !== 'number' || spec.replicas < 0 || !Number.isInteger(spec.replicas)) {
    causes.push({ field: 'spec.replicas', message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0` });
  }

  const selector = spec.selector;
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
    causes.push({ field: 'spec.selector', message: 'Required value', reason: 'FieldValueRequired' });
  } else {
    const labels = spec.template?.metadata?.labels ?? {};
    if (!matchesLabels(fromLabelSelector(selector), labels)) {
      causes.push({
        field: 'spec.template.metadata.labels',
        message: `Invalid value: ${formatGoMap(labels)}: \`selector\` does not match template \`labels\``,
      });
    }
    if (previous && !isDeepStrictEqual(previous.spec?.selector, selector)) {
      causes.push({ field: 'spec.selector', message: `Invalid value: ${JSON.stringify(selector)}: field is immutable` });
    }
  }

  const containers = spec.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push({ field: 'spec.template.spec.containers', message: 'Required value', reason: 'FieldValueRequired' });
  } else {
    containers.forEach((container: Record<string, unknown>, index: number) => {
      if (!container?.name) causes.push({ field: `spec.template.spec.containers[${index}].name`, message: 'Required value', reason: 'FieldValueRequired' });
      if (!container?.image) causes.push({ field: `spec.template.spec.containers[${index}].image`, message: 'Required value', reason: 'FieldValueRequired' });
    });
  }

  const rolling = spec.strategy?.rollingUpdate;
  if (object.kind === 'Deployment' && spec.strategy?.type === 'RollingUpdate' && rolling) {
    if (isZero(rolling.maxSurge) && isZero(rolling.maxUnavailable)) {
      causes.push({ field: 'spec.strategy.rollingUpdate.maxUnavailable', message: 'Invalid value: 0: may not be 0 when `maxSurge` is 0' });
    }
  }
}

function isZero(value: unknown): boolean {
  return value === 0 || value === '0' || value === '0%';
}

function formatGoMap(labels: Record<string, string>): string {
  const entries = Object.entries(labels).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  return `map[string]string{${entries.join(', ')}}`;
}
