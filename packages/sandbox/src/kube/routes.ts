import { findResource, kinds, type ResourceType } from './resources.ts';

/** A request path resolved to a resource, a collection or an object. */
export interface ResourceRoute {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** A request path that names an API group or version rather than a resource. */
export interface DiscoveryRoute {
  group: string;
  version?: string;
}

/**
 * Resolves `/api/v1/...` and `/apis/<group>/<version>/...` paths. Returns
 * a DiscoveryRoute for `/api`, `/api/v1`, `/apis/<group>` and
 * `/apis/<group>/<version>`, a ResourceRoute for resource paths, and
 * undefined when the path names nothing the simulator serves.
 */
export function resolvePath(pathname: string): ResourceRoute | DiscoveryRoute | undefined {
  const segments = pathname.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
  let group: string;
  let rest: string[];

  if (segments[0] === 'api') {
    group = '';
    rest = segments.slice(1);
  } else if (segments[0] === 'apis' && segments.length >= 2) {
    group = segments[1]!;
    rest = segments.slice(2);
  } else {
    return undefined;
  }

  const version = rest[0];
  if (version === undefined) return { group };
  if (rest.length === 1) return { group, version };
  return resolveResource(group, version, rest.slice(1));
}

function resolveResource(group: string, version: string, segments: string[]): ResourceRoute | undefined {
  if (segments[0] === 'namespaces' && group === '' && segments.length <= 3 && !(segments.length === 3 && segments[2] !== 'status' && segments[2] !== 'finalize')) {
    if (segments.length === 1) return { type: kinds.namespace };
    return withOptional({ type: kinds.namespace }, segments[1], segments[2]);
  }

  if (segments[0] === 'namespaces' && segments.length >= 3) {
    const type = findResource(group, version, segments[2]!);
    if (!type?.namespaced || segments.length > 5) return undefined;
    return withOptional({ type, namespace: segments[1]! }, segments[3], segments[4]);
  }

  const type = findResource(group, version, segments[0]!);
  if (!type || segments.length > 3) return undefined;
  if (type.namespaced && segments.length > 1) return undefined;
  return withOptional({ type }, segments[1], segments[2]);
}

function withOptional(route: ResourceRoute, name: string | undefined, subresource: string | undefined): ResourceRoute | undefined {
  if (name !== undefined) route.name = name;
  if (subresource !== undefined) {
    if (!route.type.subresources.includes(subresource)) return undefined;
    route.subresource = subresource;
  }
  return route;
}

/** Returns whether a resolved path is a resource route. */
export function isResourceRoute(route: ResourceRoute | DiscoveryRoute): route is ResourceRoute {
  return 'type' in route;
}
