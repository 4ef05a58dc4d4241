import type { SimClock } from '../clock.ts';
import { ApiError } from '../errors.ts';
import type { Registry } from '../registry.ts';
import { kinds } from '../resources.ts';
import { fromLabelSelector, matchesLabels } from '../selectors.ts';
import { formatTime, parseTime } from '../time.ts';
import type { Deployment, KubeObject, ReplicaSet } from '../types.ts';
import {
  activeReplicaSets,
  byCreation,
  deploymentComplete,
  equalIgnoreHash,
  getCondition,
  hasProgressDeadline,
  maxRevision,
  maxSurge,
  newCondition,
  podTemplateHashLabel,
  reasons,
  replicasAnnotationsNeedUpdate,
  revisionOf,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  annotations,
} from './deployment-util.ts';
import { recordEvent } from './events.ts';
import { computeHash } from './hash.ts';
import { rolloutRecreate } from './recreate.ts';
import { rolloutRolling, scaleProportionally } from './rolling.ts';
import { syncRolloutStatus, calculateStatus, writeStatus } from './status.ts';

/** The state one sync works on: the Deployment, its ReplicaSets and the tools to change them. */
export interface SyncContext {
  registry: Registry;
  clock: SimClock;
  deployment: Deployment;
  /** Schedules another sync of this Deployment after a simulated delay. */
  requeueAfter: (simulatedMs: number, kind: 'progress' | 'deadline') => void;
}

/**
 * Brings one Deployment closer to its spec, following the real deployment
 * controller (k8s.io/kubernetes/pkg/controller/deployment, v1.32): paused
 * conditions, scaling events, RollingUpdate and Recreate rollouts,
 * revision bookkeeping, history cleanup and status with conditions.
 */
export function syncDeployment(context: SyncContext): void {
  const { deployment } = context;
  const replicaSets = replicaSetsFor(context);

  if (checkPausedConditions(context)) return;
  if (deployment.spec.paused) {
    syncScaleOnly(context, replicaSets);
    return;
  }
  if (isScalingEvent(context, replicaSets)) {
    syncScaleOnly(context, replicaSets);
    return;
  }
  if (deployment.spec.strategy.type === 'Recreate') rolloutRecreate(context, replicaSets);
  else rolloutRolling(context, replicaSets);
}

/** Lists the ReplicaSets the Deployment controls, adopting orphans whose labels match its selector. */
function replicaSetsFor(context: SyncContext): ReplicaSet[] {
  const { registry, deployment } = context;
  const selector = fromLabelSelector(deployment.spec.selector);
  const owned: ReplicaSet[] = [];
  for (const rs of registry.store.list(kinds.replicaSet, deployment.metadata.namespace) as ReplicaSet[]) {
    const controller = rs.metadata.ownerReferences?.find((reference) => reference.controller);
    if (controller?.uid === deployment.metadata.uid) {
      owned.push(rs);
    } else if (!controller && matchesLabels(selector, rs.metadata.labels)) {
      rs.metadata.ownerReferences = [...(rs.metadata.ownerReferences ?? []), controllerReference(deployment)];
      owned.push(registry.update(kinds.replicaSet, rs.metadata.namespace, rs.metadata.name!, rs) as ReplicaSet);
    }
  }
  return owned.sort(byCreation);
}

/** Returns the owner reference the controller puts on the ReplicaSets it creates. */
export function controllerReference(owner: KubeObject): NonNullable<KubeObject['metadata']['ownerReferences']>[number] {
  return { apiVersion: owner.apiVersion ?? 'apps/v1', kind: owner.kind ?? 'Deployment', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** Sets Progressing=Unknown DeploymentPaused or DeploymentResumed when paused changes; returns whether it wrote. */
function checkPausedConditions(context: SyncContext): boolean {
  const { deployment } = context;
  if (!hasProgressDeadline(deployment)) return false;
  const condition = getCondition(deployment, 'Progressing');
  if (condition?.reason === reasons.progressDeadlineExceeded) return false;

  const pausedConditionExists = condition?.reason === reasons.paused;
  const status = structuredClone(deployment.status ?? {});
  if (deployment.spec.paused && !pausedConditionExists) {
    setCondition(status, newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused'));
  } else if (!deployment.spec.paused && pausedConditionExists) {
    setCondition(status, newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed'));
  } else {
    return false;
  }
  writeStatus(context, status);
  return true;
}

/** Returns whether an active ReplicaSet was sized for another replica count (a scale, not a template change). */
function isScalingEvent(context: SyncContext, replicaSets: ReplicaSet[]): boolean {
  const { newRS, oldRSs } = newAndOld(context, replicaSets, false);
  for (const rs of activeReplicaSets([...oldRSs, newRS])) {
    const desired = rs.metadata.annotations?.[annotations.desiredReplicas];
    if (desired === undefined) continue;
    if (Number(desired) !== context.deployment.spec.replicas) return true;
  }
  return false;
}

/** Scales, cleans up when paused and writes status, as the real controller's `sync` path does. */
function syncScaleOnly(context: SyncContext, replicaSets: ReplicaSet[]): void {
  const { newRS, oldRSs } = newAndOld(context, replicaSets, false);
  scaleProportionally(context, newRS, oldRSs);
  if (context.deployment.spec.paused) cleanupDeployment(context, oldRSs);

  const all = refresh(context, [...oldRSs, newRS]);
  const status = calculateStatus(context.deployment, all, newRS && refresh(context, [newRS])[0]);
  writeStatus(context, status);
}

/** Splits ReplicaSets into the one matching the current template and the old ones, creating the new one if asked. */
export function newAndOld(context: SyncContext, replicaSets: ReplicaSet[], createIfMissing: boolean): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
  const existing = replicaSets.find((rs) => equalIgnoreHash(rs.spec.template, context.deployment.spec.template));
  const oldRSs = replicaSets.filter((rs) => rs !== existing);
  const newRevision = maxRevision(oldRSs) + 1;

  if (existing) return { newRS: syncExistingNewReplicaSet(context, existing, newRevision), oldRSs };
  if (!createIfMissing) return { newRS: undefined, oldRSs };
  return { newRS: createNewReplicaSet(context, oldRSs, newRevision), oldRSs };
}

function syncExistingNewReplicaSet(context: SyncContext, existing: ReplicaSet, newRevision: number): ReplicaSet {
  const { deployment, registry } = context;
  const copy = structuredClone(existing);
  const annotationsChanged = setNewReplicaSetAnnotations(deployment, copy, newRevision, true);
  const minReadyChanged = (copy.spec.minReadySeconds ?? 0) !== (deployment.spec.minReadySeconds ?? 0);
  if (annotationsChanged || minReadyChanged) {
    copy.spec.minReadySeconds = deployment.spec.minReadySeconds ?? 0;
    return registry.update(kinds.replicaSet, copy.metadata.namespace, copy.metadata.name!, copy) as ReplicaSet;
  }

  const status = structuredClone(deployment.status ?? {});
  const annotationsNeedUpdate = setDeploymentRevision(deployment, String(revisionOf(copy)));
  let statusChanged = false;
  if (hasProgressDeadline(deployment) && !getCondition(deployment, 'Progressing')) {
    statusChanged = setCondition(status, newCondition('Progressing', 'True', reasons.foundNewReplicaSet, `Found new replica set "${copy.metadata.name}"`));
  }
  if (annotationsNeedUpdate || statusChanged) writeStatus(context, status);
  return copy;
}

function createNewReplicaSet(context: SyncContext, oldRSs: ReplicaSet[], newRevision: number): ReplicaSet {
  const { deployment, registry } = context;
  const template = structuredClone(deployment.spec.template);
  const hash = computeHash(template, deployment.status?.collisionCount);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [podTemplateHashLabel]: hash } };
  const selector = structuredClone(deployment.spec.selector);
  selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };

  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      labels: { ...template.metadata.labels },
      ownerReferences: [controllerReference(deployment)],
    },
    spec: { replicas: 0, minReadySeconds: deployment.spec.minReadySeconds ?? 0, selector, template },
  };
  rs.spec.replicas = newReplicaSetReplicas(deployment, [...oldRSs, rs], rs);
  setNewReplicaSetAnnotations(deployment, rs, newRevision, false);

  let created: ReplicaSet;
  try {
    created = registry.create(kinds.replicaSet, deployment.metadata.namespace, rs) as ReplicaSet;
  } catch (error) {
    if (error instanceof ApiError && error.reason === 'AlreadyExists') {
      // A ReplicaSet with this name but another template: bump collisionCount so the next sync hashes differently.
      const status = structuredClone(deployment.status ?? {});
      status.collisionCount = (status.collisionCount ?? 0) + 1;
      writeStatus(context, status);
      context.requeueAfter(0, 'progress');
    }
    throw error;
  }
  if (created.spec.replicas > 0) {
    recordEvent(registry, deployment, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${created.spec.replicas} from 0`, 'deployment-controller');
  }

  const status = structuredClone(deployment.status ?? {});
  setDeploymentRevision(deployment, String(newRevision));
  if (hasProgressDeadline(deployment)) {
    setCondition(status, newCondition('Progressing', 'True', reasons.newReplicaSetCreated, `Created new replica set "${created.metadata.name}"`));
    context.clock.mark(`${deployment.metadata.uid}/progressing`);
  }
  writeStatus(context, status);
  return created;
}

/** Sets the revision annotation on the in-memory Deployment; returns whether it changed. */
function setDeploymentRevision(deployment: Deployment, revision: string): boolean {
  deployment.metadata.annotations ??= {};
  if (deployment.metadata.annotations[annotations.revision] === revision) return false;
  deployment.metadata.annotations[annotations.revision] = revision;
  return true;
}

/** Returns how many replicas the new ReplicaSet may have now (NewRSNewReplicas). */
export function newReplicaSetReplicas(deployment: Deployment, all: ReplicaSet[], newRS: ReplicaSet): number {
  if (deployment.spec.strategy.type === 'Recreate') return deployment.spec.replicas;
  const maxTotal = deployment.spec.replicas + maxSurge(deployment);
  const current = specReplicas(all);
  if (current >= maxTotal) return newRS.spec.replicas;
  const scaleUp = Math.min(maxTotal - current, deployment.spec.replicas - newRS.spec.replicas);
  return newRS.spec.replicas + scaleUp;
}

/**
 * Scales a ReplicaSet and refreshes its replicas annotations, recording a
 * ScalingReplicaSet event when the size changed. Returns the stored
 * ReplicaSet and whether it was scaled.
 */
export function scaleReplicaSet(context: SyncContext, rs: ReplicaSet, newScale: number, operation?: 'up' | 'down'): { scaled: boolean; rs: ReplicaSet } {
  const { deployment, registry } = context;
  const desired = deployment.spec.replicas;
  const max = desired + maxSurge(deployment);
  const sizeChanged = rs.spec.replicas !== newScale;
  if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };

  const oldScale = rs.spec.replicas;
  const copy = structuredClone(rs);
  copy.spec.replicas = newScale;
  setReplicasAnnotations(copy, desired, max);
  const updated = registry.update(kinds.replicaSet, copy.metadata.namespace, copy.metadata.name!, copy) as ReplicaSet;
  if (sizeChanged) {
    const direction = operation ?? (oldScale < newScale ? 'up' : 'down');
    recordEvent(registry, deployment, 'Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${updated.metadata.name} to ${newScale} from ${oldScale}`, 'deployment-controller');
  }
  return { scaled: sizeChanged, rs: updated };
}

/** Re-reads ReplicaSets from the store, dropping deleted ones. */
export function refresh(context: SyncContext, replicaSets: (ReplicaSet | undefined)[]): ReplicaSet[] {
  return replicaSets
    .filter((rs): rs is ReplicaSet => rs !== undefined)
    .map((rs) => context.registry.store.get(kinds.replicaSet, rs.metadata.namespace, rs.metadata.name!) as ReplicaSet | undefined)
    .filter((rs): rs is ReplicaSet => rs !== undefined);
}

/** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
export function cleanupDeployment(context: SyncContext, oldRSs: ReplicaSet[]): void {
  const limit = context.deployment.spec.revisionHistoryLimit;
  if (limit === undefined) return;
  const cleanable = refresh(context, oldRSs).filter((rs) => !rs.metadata.deletionTimestamp);
  const excess = cleanable.length - limit;
  if (excess <= 0) return;

  cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of cleanable.slice(0, excess)) {
    const stale = (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0);
    if ((rs.status?.replicas ?? 0) !== 0 || rs.spec.replicas !== 0 || stale) continue;
    context.registry.delete(kinds.replicaSet, rs.metadata.namespace, rs.metadata.name!);
  }
}

/** Finishes a rollout step: cleanup when complete, then the status with progress conditions. */
export function finishRollout(context: SyncContext, oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined, cleanup: boolean): void {
  if (cleanup && deploymentComplete(context.deployment, context.deployment.status ?? {})) cleanupDeployment(context, oldRSs);
  syncRolloutStatus(context, refresh(context, [...oldRSs, newRS]), newRS && refresh(context, [newRS])[0]);
}

/** Returns the real time of the Progressing condition's lastUpdateTime, precise when the controller set it. */
export function progressingUpdateTime(context: SyncContext, lastUpdateTime: string): number | undefined {
  const parsed = parseTime(lastUpdateTime);
  const mark = context.clock.markOr(`${context.deployment.metadata.uid}/progressing`, undefined);
  if (mark !== undefined && formatTime(mark) === lastUpdateTime) return mark;
  return parsed;
}
