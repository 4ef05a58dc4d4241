import type { Deployment, PodTemplate, ReplicaSet } from './objects.ts';

/** The label the Deployment controller adds to each ReplicaSet's pods and template. */
export const podTemplateHashLabel = 'pod-template-hash';

/**
 * Annotations a rollback keeps from the Deployment instead of copying them
 * from the ReplicaSet, as kubectl does (`annotationsToSkip` in
 * k8s.io/kubectl/pkg/polymorphichelpers/rollback.go).
 */
export const annotationsToSkip: readonly string[] = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
];

/** A JSON value as the API server serves it. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Drops nulls, empty objects and empty arrays, recursively. Go's
 * `apiequality.Semantic.DeepEqual` treats nil and empty maps and slices as
 * equal, and the JSON form omits them, so both sides compare alike.
 */
function normalize(value: unknown): Json | undefined {
  if (value === null || value === undefined) return undefined;

  if (Array.isArray(value)) {
    const items = value.map((item) => normalize(item) ?? null);
    return items.length > 0 ? items : undefined;
  }

  if (typeof value === 'object') {
    const result: Record<string, Json> = {};
    for (const key of Object.keys(value).sort()) {
      const item = normalize((value as Record<string, unknown>)[key]);
      if (item !== undefined) result[key] = item;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  }

  return value as Json;
}

/** Returns a deep copy of the template without the `pod-template-hash` label. */
export function templateWithoutHash(template: PodTemplate | undefined): PodTemplate {
  const copy = structuredClone(template ?? {}) as PodTemplate;
  if (copy.metadata?.labels) delete copy.metadata.labels[podTemplateHashLabel];
  return copy;
}

/**
 * Compares two pod templates ignoring the `pod-template-hash` label, as
 * kubectl's `equalIgnoreHash` does.
 */
export function equalIgnoreHash(first: PodTemplate | undefined, second: PodTemplate | undefined): boolean {
  const left = JSON.stringify(normalize(templateWithoutHash(first)) ?? null);
  const right = JSON.stringify(normalize(templateWithoutHash(second)) ?? null);
  return left === right;
}

/**
 * Computes the Deployment annotations after a rollback the way kubectl does:
 * the Deployment keeps its own values of `annotationsToSkip`, and every
 * other annotation comes from the target ReplicaSet (such as
 * `kubernetes.io/change-cause`). `extra` (this project's rollback record)
 * is added last.
 */
export function rollbackAnnotations(deployment: Deployment, target: ReplicaSet, extra: Record<string, string> = {}): Record<string, string> {
  const current = deployment.metadata?.annotations ?? {};
  const result: Record<string, string> = {};

  for (const key of annotationsToSkip) {
    const value = current[key];
    if (value !== undefined) result[key] = value;
  }

  for (const [key, value] of Object.entries(target.metadata?.annotations ?? {})) {
    if (!annotationsToSkip.includes(key)) result[key] = value;
  }

  return { ...result, ...extra };
}

/** Lists the container images of a template, as `name=image`. */
export function templateImages(template: PodTemplate | undefined): string[] {
  return (template?.spec?.containers ?? []).map((container) => `${container.name}=${container.image ?? ''}`);
}
