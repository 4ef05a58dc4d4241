import { resourceTypes, resourcesOf, resourceVerbs, groupVersion, type ResourceType } from './resources.ts';

/** The Kubernetes version the simulator reports, matching the kubectl it is tested with. */
export const simulatedVersion = { major: '1', minor: '32', gitVersion: 'v1.32.4-atom-sim' };

/** Returns the body of `/version`. */
export function versionInfo(): Record<string, string> {
  return {
    ...simulatedVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-04-22T00:00:00Z',
    goVersion: 'go1.23.8',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** Returns the body of `/api`: the core group's versions. */
export function coreVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groups(): { name: string; version: string }[] {
  const seen = new Map<string, string>();
  for (const type of resourceTypes) if (type.group && !seen.has(type.group)) seen.set(type.group, type.version);
  return [...seen].map(([name, version]) => ({ name, version }));
}

function groupEntry(name: string, version: string): Record<string, unknown> {
  const entry = { groupVersion: `${name}/${version}`, version };
  return { name, versions: [entry], preferredVersion: entry };
}

/** Returns the body of `/apis`: every named group with its versions. */
export function groupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups().map((group) => groupEntry(group.name, group.version)) };
}

/** Returns the body of `/apis/<group>`, or undefined for a group the simulator does not serve. */
export function groupInfo(name: string): Record<string, unknown> | undefined {
  const found = groups().find((group) => group.name === name);
  if (!found) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(found.name, found.version) };
}

/** Returns the APIResourceList of one group version, or undefined when the simulator does not serve it. */
export function resourceList(group: string, version: string): Record<string, unknown> | undefined {
  const types = resourcesOf(group, version);
  if (!types) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources: types.flatMap(resourceEntries),
  };
}

function resourceEntries(type: ResourceType): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: resourceVerbs,
  };
  if (type.shortNames.length) main.shortNames = type.shortNames;
  if (type.categories.length) main.categories = type.categories;
  main.storageVersionHash = Buffer.from(type.plural).toString('base64').slice(0, 11);

  const subresources = type.subresources.map((subresource) => {
    if (subresource === 'scale') {
      return { name: `${type.plural}/scale`, singularName: '', namespaced: type.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
    }
    if (subresource === 'log') return { name: `${type.plural}/log`, singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] };
    return { name: `${type.plural}/${subresource}`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: ['get', 'patch', 'update'] };
  });
  return [main, ...subresources];
}
