import type { ReplicaSet } from '../types.ts';
import { byCreation, deploymentComplete, isRollingUpdate, maxSurge, maxUnavailable, activeReplicaSets, specReplicas, statusReplicas, annotations } from './deployment-util.ts';
import { cleanupDeployment, finishRollout, newAndOld, newReplicaSetReplicas, refresh, scaleReplicaSet, type SyncContext } from './deployment.ts';
import { syncRolloutStatus } from './status.ts';

/**
 * Runs one step of a RollingUpdate rollout (rolloutRolling): scales the new
 * ReplicaSet up within maxSurge, or else scales old ones down within
 * maxUnavailable, then cleans up history when complete and writes status.
 */
export function rolloutRolling(context: SyncContext, replicaSets: ReplicaSet[]): void {
  const { newRS, oldRSs } = newAndOld(context, replicaSets, true);
  const all = refresh(context, [...oldRSs, newRS]);
  const freshNew = refresh(context, [newRS])[0];

  if (freshNew && reconcileNewReplicaSet(context, all, freshNew)) {
    syncRolloutStatus(context, refresh(context, all), refresh(context, [freshNew])[0]);
    return;
  }
  if (freshNew && reconcileOldReplicaSets(context, all, activeReplicaSets(refresh(context, oldRSs)), freshNew)) {
    syncRolloutStatus(context, refresh(context, all), refresh(context, [freshNew])[0]);
    return;
  }
  if (deploymentComplete(context.deployment, context.deployment.status ?? {})) cleanupDeployment(context, oldRSs);
  finishRollout(context, oldRSs, freshNew, false);
}

function reconcileNewReplicaSet(context: SyncContext, all: ReplicaSet[], newRS: ReplicaSet): boolean {
  const desired = context.deployment.spec.replicas;
  if (newRS.spec.replicas === desired) return false;
  if (newRS.spec.replicas > desired) return scaleReplicaSet(context, newRS, desired).scaled;
  return scaleReplicaSet(context, newRS, newReplicaSetReplicas(context.deployment, all, newRS)).scaled;
}

function reconcileOldReplicaSets(context: SyncContext, all: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): boolean {
  const oldPods = specReplicas(oldRSs);
  if (oldPods === 0) return false;

  const deployment = context.deployment;
  const minAvailable = deployment.spec.replicas - maxUnavailable(deployment);
  const newUnavailable = newRS.spec.replicas - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = specReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;

  const cleaned = cleanupUnhealthyReplicas(context, oldRSs, maxScaledDown);
  const scaledDown = scaleDownOldReplicaSets(context, refresh(context, [...cleaned.oldRSs, newRS]), refresh(context, cleaned.oldRSs));
  return cleaned.count + scaledDown > 0;
}

/** Scales down old replicas that are not available, oldest ReplicaSet first, up to maxCleanup. */
function cleanupUnhealthyReplicas(context: SyncContext, oldRSs: ReplicaSet[], maxCleanup: number): { oldRSs: ReplicaSet[]; count: number } {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let index = 0; index < sorted.length; index += 1) {
    if (total >= maxCleanup) break;
    const rs = sorted[index]!;
    const available = rs.status?.availableReplicas ?? 0;
    if (rs.spec.replicas === 0 || rs.spec.replicas === available) continue;

    const count = Math.min(maxCleanup - total, rs.spec.replicas - available);
    sorted[index] = scaleReplicaSet(context, rs, rs.spec.replicas - count).rs;
    total += count;
  }
  return { oldRSs: sorted, count: total };
}

/** Scales old ReplicaSets down, oldest first, as far as availability above minAvailable allows. */
function scaleDownOldReplicaSets(context: SyncContext, all: ReplicaSet[], oldRSs: ReplicaSet[]): number {
  const deployment = context.deployment;
  const minAvailable = deployment.spec.replicas - maxUnavailable(deployment);
  const available = statusReplicas(all, 'availableReplicas');
  if (available <= minAvailable) return 0;

  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= target) break;
    if (rs.spec.replicas === 0) continue;
    const count = Math.min(rs.spec.replicas, target - total);
    scaleReplicaSet(context, rs, rs.spec.replicas - count);
    total += count;
  }
  return total;
}

/**
 * Scales the ReplicaSets after the Deployment's replica count changed, as
 * the real controller's `scale` does. A single active ReplicaSet takes the
 * new count, and a saturated new one drains the old ones. Otherwise the
 * difference is spread across active ReplicaSets in proportion to their size.
 */
export function scaleProportionally(context: SyncContext, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
  const deployment = context.deployment;
  const desired = deployment.spec.replicas;
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (activeOrLatest.spec.replicas !== desired) scaleReplicaSet(context, activeOrLatest, desired);
    return;
  }
  if (newRS && isSaturated(context, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) scaleReplicaSet(context, old, 0);
    return;
  }
  if (!isRollingUpdate(deployment)) return;

  const active = activeReplicaSets([...oldRSs, newRS]);
  const allowed = desired > 0 ? desired + maxSurge(deployment) : 0;
  const toAdd = allowed - specReplicas(active);
  const operation = toAdd > 0 ? 'up' : 'down';
  active.sort((a, b) => {
    if (a.spec.replicas !== b.spec.replicas) return b.spec.replicas - a.spec.replicas;
    return toAdd > 0 ? -byCreation(a, b) : byCreation(a, b);
  });

  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of active) {
    const proportion = toAdd === 0 ? 0 : replicaSetProportion(context, rs, toAdd, added);
    sizes.set(rs.metadata.name!, rs.spec.replicas + proportion);
    added += proportion;
  }
  active.forEach((rs, index) => {
    let size = sizes.get(rs.metadata.name!)!;
    if (index === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    scaleReplicaSet(context, rs, size, toAdd === 0 ? undefined : operation);
  });
}

function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => -byCreation(a, b));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

function isSaturated(context: SyncContext, rs: ReplicaSet): boolean {
  const desired = context.deployment.spec.replicas;
  const annotated = Number(rs.metadata.annotations?.[annotations.desiredReplicas]);
  return rs.spec.replicas === desired && annotated === desired && (rs.status?.availableReplicas ?? 0) === desired;
}

function replicaSetProportion(context: SyncContext, rs: ReplicaSet, toAdd: number, added: number): number {
  if (rs.spec.replicas === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(context, rs);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(context: SyncContext, rs: ReplicaSet): number {
  const deployment = context.deployment;
  if (deployment.spec.replicas === 0) return -rs.spec.replicas;
  const maxNow = deployment.spec.replicas + maxSurge(deployment);
  let maxBefore = Number(rs.metadata.annotations?.[annotations.maxReplicas] ?? NaN);
  if (!Number.isInteger(maxBefore) || maxBefore === 0) maxBefore = deployment.status?.replicas ?? 0;
  if (maxBefore === 0) return 0;
  return Math.round((rs.spec.replicas * maxNow) / maxBefore) - rs.spec.replicas;
}
