/** One resource type that the simulator serves. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  /** Plural lower-case name used in URLs, such as `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources served below an object, such as `status`, `scale` or `log`. */
  subresources: string[];
  /** Whether spec changes bump metadata.generation. */
  hasSpec: boolean;
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The verbs every simulated resource supports, as discovery lists them. */
export const resourceVerbs = allVerbs;

function resource(fields: Partial<ResourceType> & Pick<ResourceType, 'group' | 'version' | 'kind' | 'plural'>): ResourceType {
  return {
    singular: fields.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: [],
    hasSpec: true,
    ...fields,
  };
}

/** Every resource type the simulator serves, in discovery order. */
export const resourceTypes: readonly ResourceType[] = [
  resource({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], subresources: ['status'], hasSpec: false }),
  resource({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', shortNames: ['po'], categories: ['all'], subresources: ['status', 'log'], hasSpec: false }),
  resource({ group: '', version: 'v1', kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'], subresources: ['status'] }),
  resource({ group: '', version: 'v1', kind: 'Event', plural: 'events', shortNames: ['ev'], hasSpec: false }),
  resource({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'], hasSpec: false }),
  resource({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'] }),
  resource({ group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'] }),
  resource({ group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', shortNames: ['ing'], subresources: ['status'] }),
  resource({ group: 'gateway.networking.k8s.io', version: 'v1', kind: 'HTTPRoute', plural: 'httproutes', categories: ['gateway-api'], subresources: ['status'] }),
  resource({ group: 'split.smi-spec.io', version: 'v1alpha3', kind: 'TrafficSplit', plural: 'trafficsplits', shortNames: ['ts'] }),
];

/** Returns `group/version`, or just the version for the core group. */
export function groupVersion(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** Returns a key that is unique per resource type, such as `apps/deployments`. */
export function resourceKey(type: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${type.group}/${type.plural}`;
}

/** Finds the resource type for a URL's group, version and plural name. */
export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return resourceTypes.find((type) => type.group === group && type.version === version && type.plural === plural);
}

/** Finds the resource type for an object's apiVersion and kind. */
export function findResourceByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return resourceTypes.find((type) => groupVersion(type) === apiVersion && type.kind === kind);
}

/** Returns the resource types of one group version, or undefined when the simulator does not serve it. */
export function resourcesOf(group: string, version: string): ResourceType[] | undefined {
  const found = resourceTypes.filter((type) => type.group === group && type.version === version);
  return found.length ? found : undefined;
}

/** The well-known resource types the controller works with. */
export const kinds = {
  namespace: resourceTypes[0]!,
  pod: resourceTypes[1]!,
  service: resourceTypes[2]!,
  event: resourceTypes[3]!,
  deployment: resourceTypes[5]!,
  replicaSet: resourceTypes[6]!,
};
