/**
 * Merge keys of the lists that strategic merge patch merges element by
 * element in the built-in kinds (from the `patchMergeKey` struct tags of
 * k8s.io/api v0.32). Lists not listed here are replaced whole, except the
 * primitive lists in `mergedPrimitiveLists`, which merge as sets.
 */
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  containerStatuses: 'name',
  initContainerStatuses: 'name',
};

const mergedPrimitiveLists = new Set(['finalizers']);

/**
 * Returns the merge key of a list at a path of field names (list indices
 * left out), or undefined when the list is replaced whole. Ports merge by
 * containerPort inside containers and by port in a Service spec.
 */
export function mergeKeyFor(path: readonly string[], kind: string): string | undefined {
  const field = path.at(-1) ?? '';
  if (field === 'ports') {
    if (path.includes('containers') || path.includes('initContainers') || path.includes('ephemeralContainers')) return 'containerPort';
    if (kind === 'Service' && path.length === 2 && path[0] === 'spec') return 'port';
    return undefined;
  }
  return mergeKeys[field];
}

/** Returns whether a list of primitives merges as a set instead of being replaced. */
export function mergesPrimitives(path: readonly string[]): boolean {
  return mergedPrimitiveLists.has(path.at(-1) ?? '');
}

/** Kinds whose Go types the real server knows, so strategic merge patch is accepted for them. */
export const strategicPatchKinds = new Set(['Namespace', 'Pod', 'Service', 'Event', 'ConfigMap', 'Deployment', 'ReplicaSet', 'Ingress']);
