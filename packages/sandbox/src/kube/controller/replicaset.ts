import { isDeepStrictEqual } from 'node:util';

import type { SimClock } from '../clock.ts';
import type { Registry } from '../registry.ts';
import { kinds } from '../resources.ts';
import { parseTime } from '../time.ts';
import type { Pod, ReplicaSet } from '../types.ts';
import { recordEvent } from './events.ts';
import { nodeName } from './pods.ts';

/** Dependencies of syncReplicaSet besides the ReplicaSet. */
export interface ReplicaSetContext {
  registry: Registry;
  clock: SimClock;
  /** Schedules another sync of this ReplicaSet after a simulated delay. */
  requeueAfter: (simulatedMs: number) => void;
}

/**
 * Makes the number of pods of a ReplicaSet match spec.replicas, as the
 * ReplicaSet controller does, and writes its status: replicas,
 * fullyLabeledReplicas, readyReplicas, availableReplicas (ready for at
 * least minReadySeconds of simulated time) and observedGeneration.
 */
export function syncReplicaSet(context: ReplicaSetContext, rs: ReplicaSet): void {
  const pods = podsOf(context, rs);
  const difference = pods.length - rs.spec.replicas;
  if (difference < 0) {
    for (let index = 0; index < -difference; index += 1) pods.push(createPod(context, rs));
  } else if (difference > 0) {
    for (const pod of choosePodsToDelete(pods, difference)) {
      context.registry.delete(kinds.pod, pod.metadata.namespace, pod.metadata.name!);
      recordEvent(context.registry, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, 'replicaset-controller');
      pods.splice(pods.indexOf(pod), 1);
    }
  }
  writeStatus(context, rs, pods);
}

function podsOf(context: ReplicaSetContext, rs: ReplicaSet): Pod[] {
  const pods = context.registry.store.list(kinds.pod, rs.metadata.namespace) as Pod[];
  return pods.filter(
    (pod) => !pod.metadata.deletionTimestamp && pod.metadata.ownerReferences?.some((reference) => reference.controller && reference.uid === rs.metadata.uid),
  );
}

function createPod(context: ReplicaSetContext, rs: ReplicaSet): Pod {
  const template = structuredClone(rs.spec.template);
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      labels: template.metadata?.labels ?? {},
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: { ...template.spec, nodeName },
  };
  if (template.metadata?.annotations) pod.metadata.annotations = template.metadata.annotations;

  const stored = context.registry.create(kinds.pod, rs.metadata.namespace, pod) as Pod;
  recordEvent(context.registry, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${stored.metadata.name}`, 'replicaset-controller');
  return stored;
}

/** Picks pods to delete on scale-down: not ready before ready, then the newest first, as the controller ranks them. */
function choosePodsToDelete(pods: Pod[], count: number): Pod[] {
  const ranked = [...pods].sort((a, b) => {
    const readyDifference = Number(isReady(a)) - Number(isReady(b));
    if (readyDifference !== 0) return readyDifference;
    return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '');
  });
  return ranked.slice(0, count);
}

/** Returns whether a pod's Ready condition is True. */
export function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

function writeStatus(context: ReplicaSetContext, rs: ReplicaSet, pods: Pod[]): void {
  const minReadyMs = (rs.spec.minReadySeconds ?? 0) * 1000;
  let ready = 0;
  let available = 0;
  let nextAvailableInMs: number | undefined;

  for (const pod of pods) {
    if (!isReady(pod)) continue;
    ready += 1;
    const condition = pod.status!.conditions!.find((entry) => entry.type === 'Ready')!;
    const readySince = context.clock.markOr(`${pod.metadata.uid}/ready`, parseTime(condition.lastTransitionTime)) ?? context.clock.now();
    const waited = context.clock.simulatedSince(readySince);
    if (minReadyMs === 0 || waited >= minReadyMs) available += 1;
    else nextAvailableInMs = Math.min(nextAvailableInMs ?? Infinity, minReadyMs - waited);
  }
  if (nextAvailableInMs !== undefined) context.requeueAfter(nextAvailableInMs + context.clock.timeScale);

  const status: NonNullable<ReplicaSet['status']> = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.length,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation,
  };
  for (const key of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) if (status[key] === 0) delete status[key];

  const current = context.registry.store.get(kinds.replicaSet, rs.metadata.namespace, rs.metadata.name!) as ReplicaSet | undefined;
  if (!current || isDeepStrictEqual(current.status, status)) return;
  context.registry.update(kinds.replicaSet, current.metadata.namespace, current.metadata.name!, { ...current, status }, 'status');
}
