import { ConfigurationError } from '@atom-actions/shared/errors';

import { describe, type Cluster, type KubeObject } from './cluster.ts';
import { deploymentRef } from './deployments.ts';
import { managedByAnnotation, managedByValue } from '../state.ts';

/** Label on every pod of a canary created by this action, so the canary's selector never matches stable pods. */
export const roleLabel = 'canary.atom-actions.io/role';

/** Settings that shape the canary Deployment. */
export interface CanarySpec {
  namespace: string;
  canary: string;
  images: Map<string, string>;
  versionLabel: string;
  canaryVersion: string;
}

/**
 * Returns the canary Deployment: the existing one when `images` is empty,
 * else a Deployment created (or updated) from the stable one with the new
 * images, the canary version label and the role label. A new canary starts
 * at zero replicas; the traffic router scales it. Throws a
 * ConfigurationError naming a container that the stable Deployment lacks.
 */
export async function ensureCanaryDeployment(cluster: Cluster, stable: KubeObject, spec: CanarySpec, log: (line: string) => void): Promise<KubeObject> {
  const ref = deploymentRef(spec.namespace, spec.canary);
  const existing = await cluster.read(ref);

  if (spec.images.size === 0) {
    if (!existing) throw new ConfigurationError(`The canary ${describe(ref)} was not found: create it before this step, or set the "images" input to create it from the stable Deployment.`);
    return existing;
  }

  const template = canaryTemplate(stable, spec);
  if (existing) {
    log(`Updating the pod template of ${describe(ref)} with ${formatImages(spec.images)}.`);
    return cluster.mergePatch(ref, { spec: { template } });
  }

  log(`Creating ${describe(ref)} from the stable Deployment with ${formatImages(spec.images)}.`);
  const selectorLabels = { ...(stable.spec?.selector?.matchLabels ?? {}), [roleLabel]: 'canary' };
  return cluster.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: spec.canary,
      namespace: spec.namespace,
      labels: { ...(stable.metadata.labels ?? {}), [roleLabel]: 'canary' },
      annotations: { [managedByAnnotation]: managedByValue },
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: selectorLabels },
      template,
      ...(stable.spec?.progressDeadlineSeconds ? { progressDeadlineSeconds: stable.spec.progressDeadlineSeconds } : {}),
      ...(stable.spec?.minReadySeconds ? { minReadySeconds: stable.spec.minReadySeconds } : {}),
    },
  });
}

function canaryTemplate(stable: KubeObject, spec: CanarySpec): Record<string, unknown> {
  const template = structuredClone(stable.spec?.template ?? {}) as { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { name: string; image?: string }[] } };
  const containers = template.spec?.containers ?? [];

  for (const [name, image] of spec.images) {
    const container = containers.find((entry) => entry.name === name);
    if (!container) {
      const known = containers.map((entry) => entry.name).join(', ');
      throw new ConfigurationError(`Input "images" names the container "${name}", which the stable Deployment "${stable.metadata.name}" does not have (containers: ${known}).`);
    }
    container.image = image;
  }

  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [roleLabel]: 'canary', ...(spec.canaryVersion ? { [spec.versionLabel]: spec.canaryVersion } : {}) } };
  return template as Record<string, unknown>;
}

function formatImages(images: Map<string, string>): string {
  return [...images].map(([container, image]) => `${container}=${image}`).join(', ');
}
