import { ConfigurationError } from '@atom-actions/shared/errors';

import { describe, type Cluster, type KubeObject, type ObjectRef } from '../kube/cluster.ts';
import { managedByAnnotation, managedByValue } from '../state.ts';

/** Returns the reference of a Service. */
export function serviceRef(namespace: string, name: string): ObjectRef {
  return { apiVersion: 'v1', kind: 'Service', namespace, name };
}

/**
 * Creates the canary Service when it is missing: the stable Service's ports
 * with a selector of the canary Deployment's labels. Throws a
 * ConfigurationError when the stable Service does not exist.
 */
export async function ensureCanaryService(cluster: Cluster, namespace: string, stableName: string, canaryName: string, canary: KubeObject, log: (line: string) => void): Promise<void> {
  if (await cluster.read(serviceRef(namespace, canaryName))) return;

  const stable = await cluster.read(serviceRef(namespace, stableName));
  if (!stable) throw new ConfigurationError(`The stable ${describe(serviceRef(namespace, stableName))} was not found: set the "service" input to the Service of the stable Deployment.`);

  log(`Creating the canary ${describe(serviceRef(namespace, canaryName))} for the pods of Deployment "${canary.metadata.name}".`);
  await cluster.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: canaryName, namespace, labels: stable.metadata.labels ?? {}, annotations: { [managedByAnnotation]: managedByValue } },
    spec: {
      selector: canary.spec?.selector?.matchLabels ?? {},
      ports: (stable.spec?.ports ?? []).map((port: Record<string, unknown>) => ({ ...port, nodePort: undefined })),
    },
  });
}

/** Deletes an object only when this action created it. */
export async function removeIfManaged(cluster: Cluster, ref: ObjectRef, log: (line: string) => void): Promise<void> {
  const object = await cluster.read(ref);
  if (object?.metadata.annotations?.[managedByAnnotation] !== managedByValue) return;
  log(`Deleting ${describe(ref)}, which this action created.`);
  await cluster.remove(ref);
}
