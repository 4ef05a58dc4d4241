import { ApiException, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';

import { sleep } from '@atom-actions/shared/backoff';
import { errorMessage } from '@atom-actions/shared/errors';
import { createKubeClient, type KubeClient } from '@atom-actions/shared/kube/client';
import type { LoadedKubeConfig } from '@atom-actions/shared/kube/config';

/** Identifies one namespaced object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** A Kubernetes object as the API server sends it, with untyped spec and status. */
export type KubeObject = KubernetesObject & { metadata: NonNullable<KubernetesObject['metadata']>; spec?: any; status?: any; [key: string]: unknown };

/** The few object operations the canary needs, whatever client carries them. */
export interface Cluster {
  /** Server URL, for the log. */
  readonly server: string;
  /** Returns the object, or undefined when it does not exist. */
  read(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, namespace: string): Promise<KubeObject[]>;
  create(object: KubeObject): Promise<KubeObject>;
  /** Applies a JSON merge patch (RFC 7386). */
  mergePatch(ref: ObjectRef, patch: Record<string, unknown>): Promise<KubeObject>;
  /** Deletes the object; a missing object is not an error. */
  remove(ref: ObjectRef): Promise<void>;
}

/** A failed API call, with the HTTP status (0 when no response arrived). */
export class ClusterError extends Error {
  override readonly name = 'ClusterError';
  readonly status: number;

  constructor(message: string, status: number, cause?: unknown) {
    super(message, { cause });
    this.status = status;
  }
}

const attempts = 3;

/**
 * Connects to the cluster of the loaded kubeconfig (see loadKubeConfig of
 * the shared kube module). Returns the Cluster and the shared KubeClient,
 * which the rollback library needs.
 */
export function connectCluster(loaded: LoadedKubeConfig): { cluster: Cluster; client: KubeClient } {
  return { cluster: new ObjectCluster(loaded.config), client: createKubeClient(loaded) };
}

class ObjectCluster implements Cluster {
  readonly server: string;
  private readonly api: KubernetesObjectApi;

  constructor(config: KubeConfig) {
    this.server = config.getCurrentCluster()?.server ?? 'unknown server';
    this.api = KubernetesObjectApi.makeApiClient(config);
  }

  async read(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.retry(`read ${describe(ref)}`, () => this.api.read<KubeObject>(header(ref) as never));
    } catch (error) {
      if (error instanceof ClusterError && error.status === 404) return undefined;
      throw error;
    }
  }

  async list(apiVersion: string, kind: string, namespace: string): Promise<KubeObject[]> {
    const list = await this.retry(`list ${kind} in namespace "${namespace}"`, () => this.api.list<KubeObject>(apiVersion, kind, namespace));
    return list.items;
  }

  create(object: KubeObject): Promise<KubeObject> {
    const ref = { apiVersion: object.apiVersion ?? '', kind: object.kind ?? '', namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '' };
    return this.retry(`create ${describe(ref)}`, () => this.api.create(object), false);
  }

  mergePatch(ref: ObjectRef, patch: Record<string, unknown>): Promise<KubeObject> {
    const body = { ...patch, apiVersion: ref.apiVersion, kind: ref.kind, metadata: { ...((patch['metadata'] as object | undefined) ?? {}), name: ref.name, namespace: ref.namespace } };
    return this.retry(`patch ${describe(ref)}`, () => this.api.patch<KubeObject>(body as KubeObject, undefined, undefined, 'atom-canary-promote', undefined, PatchStrategy.MergePatch));
  }

  async remove(ref: ObjectRef): Promise<void> {
    try {
      await this.retry(`delete ${describe(ref)}`, () => this.api.delete(header(ref), undefined, undefined, undefined, undefined, 'Background'));
    } catch (error) {
      if (error instanceof ClusterError && error.status === 404) return;
      throw error;
    }
  }

  /** Runs a call, retrying 429, 5xx and lost connections (twice, after 0.5 s and 1 s) when `repeatable`. */
  private async retry<T>(action: string, call: () => Promise<T>, repeatable = true): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const status = error instanceof ApiException ? error.code : 0;
        const transient = status === 0 || status === 429 || status >= 500;
        if (!repeatable || !transient || attempt >= attempts) throw new ClusterError(`Failed to ${action} on ${this.server}: ${detail(error)}`, status, error);
        await sleep(500 * attempt);
      }
    }
  }
}

/** Describes an object for messages: `Deployment "web" in namespace "prod"`. */
export function describe(ref: Pick<ObjectRef, 'kind' | 'name' | 'namespace'>): string {
  return `${ref.kind} "${ref.name}" in namespace "${ref.namespace}"`;
}

function header(ref: ObjectRef): { apiVersion: string; kind: string; metadata: { name: string; namespace: string } } {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } };
}

function detail(error: unknown): string {
  if (error instanceof ApiException) {
    const body = typeof error.body === 'string' ? error.body : JSON.stringify(error.body);
    const message = /"message":"([^"]*)"/.exec(body)?.[1];
    return `HTTP ${error.code}${message ? `: ${message}` : ''}`;
  }
  return errorMessage(error);
}
