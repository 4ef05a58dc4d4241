import { applyDefaults } from './defaults.ts';
import { annotations, podTemplateHashLabel } from './controller/deployment-util.ts';
import { controllerReference } from './controller/deployment.ts';
import { computeHash } from './controller/hash.ts';
import type { Registry } from './registry.ts';
import { findResourceByKind, kinds } from './resources.ts';
import type { Deployment, KubeObject, PodTemplate, ReplicaSet } from './types.ts';

/** One ReplicaSet to seed under a Deployment. */
export interface SeedRevision {
  /** The container image of this revision. */
  image: string;
  /** The revision number; by default the position in the list, starting at 1. */
  revision?: number;
  /** spec.replicas of the ReplicaSet; the Deployment's replicas for the last revision and 0 for the others by default. */
  replicas?: number;
  /** Extra pod template annotations, such as `sim.atom-actions.io/behavior`. */
  podAnnotations?: Record<string, string>;
  /** Annotations of the ReplicaSet, such as `kubernetes.io/change-cause`. */
  annotations?: Record<string, string>;
}

/** Options of Seeder.deployment. */
export interface SeedDeploymentOptions {
  name: string;
  namespace?: string;
  replicas?: number;
  /** The revisions, oldest first; the Deployment's template is the last one's. Default: one revision of `nginx:1.27`. */
  revisions?: SeedRevision[];
  paused?: boolean;
  /** Extra fields merged into the Deployment spec, such as strategy or progressDeadlineSeconds. */
  spec?: Partial<Deployment['spec']>;
  annotations?: Record<string, string>;
  /** The container name; `app` by default. */
  containerName?: string;
}

/**
 * Puts objects straight into the simulator, through the same API
 * semantics as client requests, so tests can start from a given state:
 * namespaces, any manifest, or a Deployment with a history of ReplicaSets.
 */
export class Seeder {
  private readonly registry: Registry;

  constructor(registry: Registry) {
    this.registry = registry;
  }

  /** Creates a namespace. */
  namespace(name: string): KubeObject {
    return this.registry.create(kinds.namespace, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  /** Creates any object the simulator serves from its manifest (apiVersion, kind and metadata.namespace pick the place). */
  object(manifest: KubeObject): KubeObject {
    const type = findResourceByKind(manifest.apiVersion ?? '', manifest.kind ?? '');
    if (!type) throw new Error(`the simulator does not serve ${manifest.apiVersion} ${manifest.kind}`);
    return this.registry.create(type, type.namespaced ? (manifest.metadata.namespace ?? 'default') : undefined, manifest);
  }

  /**
   * Creates a Deployment with one ReplicaSet per revision, each with its
   * revision annotation, pod-template-hash and controller reference, as if
   * it had been rolled out that many times. The controllers then create
   * the pods. Returns the stored Deployment and ReplicaSets.
   */
  deployment(options: SeedDeploymentOptions): { deployment: Deployment; replicaSets: ReplicaSet[] } {
    const namespace = options.namespace ?? 'default';
    const replicas = options.replicas ?? 1;
    const revisions = options.revisions ?? [{ image: 'nginx:1.27' }];
    const labels = { app: options.name };
    const templateOf = (revision: SeedRevision): PodTemplate => ({
      metadata: { labels: { ...labels }, ...(revision.podAnnotations ? { annotations: revision.podAnnotations } : {}) },
      spec: { containers: [{ name: options.containerName ?? 'app', image: revision.image }] },
    });

    const last = revisions.at(-1)!;
    const deployment = this.registry.create(kinds.deployment, namespace, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: options.name, labels, ...(options.annotations ? { annotations: options.annotations } : {}) },
      spec: { replicas, selector: { matchLabels: labels }, template: templateOf(last), paused: options.paused ?? false, ...options.spec },
    }) as Deployment;

    const replicaSets = revisions.map((revision, index) => this.replicaSetFor(deployment, templateOf(revision), revision, index, index === revisions.length - 1));
    return { deployment, replicaSets };
  }

  private replicaSetFor(deployment: Deployment, template: PodTemplate, revision: SeedRevision, index: number, isLast: boolean): ReplicaSet {
    // Read back the stored Deployment so the template carries the API defaults, as the controller's copy would.
    const stored = this.registry.store.get(kinds.deployment, deployment.metadata.namespace, deployment.metadata.name!) as Deployment;
    const fullTemplate = isLast ? structuredClone(stored.spec.template) : withDefaults(template);
    const hash = computeHash(fullTemplate);
    fullTemplate.metadata = { ...fullTemplate.metadata, labels: { ...fullTemplate.metadata?.labels, [podTemplateHashLabel]: hash } };

    const replicas = revision.replicas ?? (isLast ? deployment.spec.replicas : 0);
    return this.registry.create(kinds.replicaSet, deployment.metadata.namespace, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${deployment.metadata.name}-${hash}`,
        labels: { ...fullTemplate.metadata.labels },
        annotations: {
          ...revision.annotations,
          [annotations.revision]: String(revision.revision ?? index + 1),
          [annotations.desiredReplicas]: String(deployment.spec.replicas),
        },
        ownerReferences: [controllerReference(stored)],
      },
      spec: {
        replicas,
        selector: { matchLabels: { ...stored.spec.selector.matchLabels, [podTemplateHashLabel]: hash } },
        template: fullTemplate,
      },
    }) as ReplicaSet;
  }
}

/** Applies the API defaults to a pod template, as they would be on a ReplicaSet the API server stored. */
function withDefaults(template: PodTemplate): PodTemplate {
  const scratch: KubeObject = { kind: 'ReplicaSet', metadata: {}, spec: { template: structuredClone(template) } };
  applyDefaults(scratch);
  return scratch.spec.template;
}
