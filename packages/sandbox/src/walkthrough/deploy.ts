import { kinds } from '../kube/resources.ts';
import type { KubeSimulator } from '../kube/simulator.ts';
import type { Deployment } from '../kube/types.ts';

/** A release as a deploy job applies it to the pod template: the image and the simulated pods' behaviour. */
export interface Release {
  image: string;
  version: string;
  /** Pod template annotations such as `sim.atom-actions.io/behavior: crash-loop`. */
  podAnnotations: Record<string, string>;
  changeCause: string;
}

/**
 * Rolls a new release out to a Deployment, as `kubectl apply` of a new
 * image would in the deploy job: the pod template changes, so the
 * simulator's controller starts a new revision. Returns that revision's number.
 */
export function deployRelease(sim: KubeSimulator, namespace: string, name: string, release: Release): void {
  const current = sim.store.get(kinds.deployment, namespace, name) as Deployment | undefined;
  if (!current) throw new Error(`deployment "${name}" not found in namespace "${namespace}"`);

  const template = structuredClone(current.spec?.template ?? {});
  template.metadata = {
    ...template.metadata,
    labels: { ...template.metadata?.labels, version: release.version },
    annotations: release.podAnnotations,
  };
  const container = template.spec?.containers?.[0];
  if (container) container.image = release.image;

  const updated: Deployment = {
    ...current,
    metadata: { ...current.metadata, annotations: { ...current.metadata?.annotations, 'kubernetes.io/change-cause': release.changeCause } },
    spec: { ...current.spec!, template },
  };
  sim.registry.update(kinds.deployment, namespace, name, updated);
}

/** Returns the revision annotation of a Deployment, or undefined before the controller set it. */
export function currentRevision(sim: KubeSimulator, namespace: string, name: string): number | undefined {
  const deployment = sim.store.get(kinds.deployment, namespace, name) as Deployment | undefined;
  const revision = deployment?.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  return revision === undefined ? undefined : Number(revision);
}
