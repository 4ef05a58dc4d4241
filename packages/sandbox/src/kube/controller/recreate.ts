import { kinds } from '../resources.ts';
import type { Pod, ReplicaSet } from '../types.ts';
import { activeReplicaSets } from './deployment-util.ts';
import { finishRollout, newAndOld, refresh, scaleReplicaSet, type SyncContext } from './deployment.ts';
import { syncRolloutStatus } from './status.ts';

/**
 * Runs one step of a Recreate rollout (rolloutRecreate): scales every old
 * ReplicaSet to zero, waits until their pods are gone, then creates and
 * scales up the new ReplicaSet.
 */
export function rolloutRecreate(context: SyncContext, replicaSets: ReplicaSet[]): void {
  let { newRS, oldRSs } = newAndOld(context, replicaSets, false);

  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    if (scaleReplicaSet(context, rs, 0, 'down').scaled) scaledDown = true;
  }
  if (scaledDown || oldPodsRunning(context, refresh(context, oldRSs))) {
    syncRolloutStatus(context, refresh(context, [...oldRSs, newRS]), newRS && refresh(context, [newRS])[0]);
    return;
  }

  if (!newRS) ({ newRS, oldRSs } = newAndOld(context, refresh(context, replicaSets), true));
  if (newRS) scaleReplicaSet(context, refresh(context, [newRS])[0] ?? newRS, context.deployment.spec.replicas, 'up');
  finishRollout(context, oldRSs, newRS, true);
}

function oldPodsRunning(context: SyncContext, oldRSs: ReplicaSet[]): boolean {
  if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  const pods = context.registry.store.list(kinds.pod, context.deployment.metadata.namespace) as Pod[];
  const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
  return pods.some(
    (pod) =>
      pod.metadata.ownerReferences?.some((reference) => oldUids.has(reference.uid)) &&
      pod.status?.phase !== 'Failed' &&
      pod.status?.phase !== 'Succeeded',
  );
}
