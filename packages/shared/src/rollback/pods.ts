import type { KubeRequester } from '../kube/requester.ts';
import { formatSelector } from './history.ts';
import type { Deployment, ObjectList, Pod, ReplicaSet } from './objects.ts';
import { podTemplateHashLabel } from './template.ts';
import type { VerificationCheck } from './types.ts';

/** Waiting reasons that mean a container will not start without a change, as kubectl's status viewer lists them. */
export const failingReasons: readonly string[] = ['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName'];

/** A container that is failing, with its pod. */
export interface FailingContainer {
  pod: string;
  container: string;
  reason: string;
  restarts: number;
  message: string;
}

/** Lists the pods of one ReplicaSet: the Deployment's selector plus the ReplicaSet's pod-template-hash. */
export async function listReplicaSetPods(client: KubeRequester, deployment: Deployment, replicaSet: ReplicaSet, deadline: number): Promise<Pod[]> {
  const namespace = deployment.metadata.namespace ?? 'default';
  const hash = replicaSet.metadata.labels?.[podTemplateHashLabel] ?? replicaSet.spec?.template?.metadata?.labels?.[podTemplateHashLabel];
  const base = formatSelector(deployment.spec.selector);
  const labelSelector = hash ? [base, `${podTemplateHashLabel}=${hash}`].filter(Boolean).join(',') : base;

  const list = (await client.request(`list the pods of ReplicaSet "${replicaSet.metadata.name}" in namespace "${namespace}"`, { path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, query: { labelSelector } }, { deadline })) as ObjectList<Pod>;
  return list.items;
}

/** Returns the containers of the pods that wait with a failing reason such as CrashLoopBackOff. */
export function failingContainers(pods: readonly Pod[]): FailingContainer[] {
  const result: FailingContainer[] = [];
  for (const pod of pods) {
    for (const status of pod.status?.containerStatuses ?? []) {
      const reason = status.state?.waiting?.reason ?? '';
      if (!failingReasons.includes(reason)) continue;
      result.push({ pod: pod.metadata.name ?? '', container: status.name, reason, restarts: status.restartCount ?? 0, message: status.state?.waiting?.message ?? '' });
    }
  }
  return result;
}

/** Formats failing containers for one error line: `atom-1 (container app: CrashLoopBackOff, 3 restarts)`. */
export function describeFailures(failures: readonly FailingContainer[]): string {
  return failures.map((failure) => `${failure.pod} (container ${failure.container}: ${failure.reason}, ${failure.restarts} restarts${failure.message ? `: ${failure.message}` : ''})`).join('; ');
}

/** Returns whether the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((condition) => condition.type === 'Ready' && condition.status === 'True');
}

/** Checks the rolled-back pods: every desired replica ready and no failing container. */
export function verifyPods(deployment: Deployment, pods: readonly Pod[]): VerificationCheck[] {
  const desired = deployment.spec.replicas ?? 1;
  const ready = pods.filter((pod) => isPodReady(pod)).length;
  const failures = failingContainers(pods);

  return [
    { name: 'pods ready', passed: ready >= desired, detail: `${ready} of ${desired} pods ready` },
    { name: 'no failing containers', passed: failures.length === 0, detail: failures.length === 0 ? 'no container in CrashLoopBackOff or an image error' : describeFailures(failures) },
  ];
}
