import { isDeepStrictEqual } from 'node:util';

import { formatTime } from '../time.ts';
import type { Deployment, DeploymentCondition, IntOrPercent, PodTemplate, ReplicaSet } from '../types.ts';

/** Annotation names the deployment controller uses (k8s.io/kubernetes/pkg/controller/deployment/util). */
export const annotations = {
  revision: 'deployment.kubernetes.io/revision',
  revisionHistory: 'deployment.kubernetes.io/revision-history',
  desiredReplicas: 'deployment.kubernetes.io/desired-replicas',
  maxReplicas: 'deployment.kubernetes.io/max-replicas',
  lastApplied: 'kubectl.kubernetes.io/last-applied-configuration',
  rollbackTo: 'deprecated.deployment.rollback.to',
} as const;

/** The label that ties ReplicaSets and pods to one pod template. */
export const podTemplateHashLabel = 'pod-template-hash';

/** Condition reasons of the real deployment controller. */
export const reasons = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  progressDeadlineExceeded: 'ProgressDeadlineExceeded',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
} as const;

/** Maximum length of the revision-history annotation, in characters. */
const maxRevisionHistoryLength = 2000;

const annotationsToSkip = new Set<string>([
  annotations.lastApplied,
  annotations.revision,
  annotations.revisionHistory,
  annotations.desiredReplicas,
  annotations.maxReplicas,
  annotations.rollbackTo,
]);

/** Resolves an integer or percentage against a total, rounding up or down (intstr.GetScaledValueFromIntOrPercent). */
export function scaledValue(value: IntOrPercent | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const percent = Number(value.replace(/%$/, ''));
  if (!value.endsWith('%') || Number.isNaN(percent)) return Number(value) || 0;
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** Returns maxSurge and maxUnavailable as numbers; both 0 becomes maxUnavailable 1, as in ResolveFenceposts. */
export function resolveFenceposts(deployment: Deployment): { surge: number; unavailable: number } {
  const rolling = deployment.spec.strategy.rollingUpdate ?? {};
  const desired = deployment.spec.replicas;
  const surge = scaledValue(rolling.maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(rolling.maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** Returns whether the Deployment uses the RollingUpdate strategy. */
export function isRollingUpdate(deployment: Deployment): boolean {
  return deployment.spec.strategy.type === 'RollingUpdate';
}

/** Returns the resolved maxSurge (0 for Recreate). */
export function maxSurge(deployment: Deployment): number {
  return isRollingUpdate(deployment) ? resolveFenceposts(deployment).surge : 0;
}

/** Returns the resolved maxUnavailable, capped at the desired replicas (0 for Recreate or zero replicas). */
export function maxUnavailable(deployment: Deployment): number {
  if (!isRollingUpdate(deployment) || deployment.spec.replicas === 0) return 0;
  return Math.min(resolveFenceposts(deployment).unavailable, deployment.spec.replicas);
}

/** Returns whether the Deployment has a progress deadline (unset or MaxInt32 means none). */
export function hasProgressDeadline(deployment: Deployment): boolean {
  const deadline = deployment.spec.progressDeadlineSeconds;
  return deadline !== undefined && deadline !== 2147483647;
}

/** Reads the revision annotation of an object, 0 when it is missing or invalid. */
export function revisionOf(object: { metadata: { annotations?: Record<string, string> } }): number {
  const value = Number(object.metadata.annotations?.[annotations.revision] ?? '');
  return Number.isInteger(value) ? value : 0;
}

/** Returns the highest revision among ReplicaSets. */
export function maxRevision(replicaSets: ReplicaSet[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** Compares two pod templates, ignoring the pod-template-hash label (EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplate, b: PodTemplate): boolean {
  const strip = (template: PodTemplate) => {
    const copy = structuredClone(template);
    copy.metadata ??= {};
    const labels = { ...copy.metadata.labels };
    delete labels[podTemplateHashLabel];
    copy.metadata.labels = labels;
    return copy;
  };
  return isDeepStrictEqual(strip(a), strip(b));
}

/** Sums spec.replicas over ReplicaSets. */
export function specReplicas(replicaSets: (ReplicaSet | undefined)[]): number {
  return replicaSets.reduce((sum, rs) => sum + (rs?.spec.replicas ?? 0), 0);
}

/** Sums a status counter over ReplicaSets. */
export function statusReplicas(replicaSets: (ReplicaSet | undefined)[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return replicaSets.reduce((sum, rs) => sum + (rs?.status?.[field] ?? 0), 0);
}

/** Returns the ReplicaSets with at least one desired replica. */
export function activeReplicaSets(replicaSets: (ReplicaSet | undefined)[]): ReplicaSet[] {
  return replicaSets.filter((rs): rs is ReplicaSet => rs !== undefined && rs.spec.replicas > 0);
}

/** Sorts ReplicaSets oldest first, by creationTimestamp and then name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const left = a.metadata.creationTimestamp ?? '';
  const right = b.metadata.creationTimestamp ?? '';
  if (left !== right) return left < right ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

/** Returns the condition of a type from a Deployment status. */
export function getCondition(deployment: Deployment, type: string): DeploymentCondition | undefined {
  return deployment.status?.conditions?.find((condition) => condition.type === type);
}

/** Builds a condition stamped with the current time. */
export function newCondition(type: string, status: DeploymentCondition['status'], reason: string, message: string): DeploymentCondition {
  const now = formatTime();
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/**
 * Sets a condition the way SetDeploymentCondition does: nothing changes
 * when status and reason are the same, lastTransitionTime is kept when only
 * the reason changes, and the condition moves to the end of the list.
 * Returns whether the status changed.
 */
export function setCondition(status: NonNullable<Deployment['status']>, condition: DeploymentCondition): boolean {
  const current = status.conditions?.find((existing) => existing.type === condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return false;
  if (current && current.status === condition.status) condition.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((existing) => existing.type !== condition.type), condition];
  return true;
}

/** Removes a condition type from a status. */
export function removeCondition(status: NonNullable<Deployment['status']>, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((condition) => condition.type !== type);
}

/** Copies the Deployment's annotations to a ReplicaSet, except the controller's own; returns whether any changed. */
export function copyAnnotations(deployment: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  rs.metadata.annotations ??= {};
  for (const [key, value] of Object.entries(deployment.metadata.annotations ?? {})) {
    if (annotationsToSkip.has(key) || rs.metadata.annotations[key] === value) continue;
    rs.metadata.annotations[key] = value;
    changed = true;
  }
  return changed;
}

/** Sets desired-replicas and max-replicas on a ReplicaSet; returns whether they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  const desiredText = String(desired);
  const maxText = String(max);
  if (rs.metadata.annotations[annotations.desiredReplicas] === desiredText && rs.metadata.annotations[annotations.maxReplicas] === maxText) return false;
  rs.metadata.annotations[annotations.desiredReplicas] = desiredText;
  rs.metadata.annotations[annotations.maxReplicas] = maxText;
  return true;
}

/** Returns whether the replicas annotations of a ReplicaSet differ from the given values. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  return rs.metadata.annotations?.[annotations.desiredReplicas] !== String(desired) || rs.metadata.annotations?.[annotations.maxReplicas] !== String(max);
}

/**
 * Updates the annotations of the new ReplicaSet as SetNewReplicaSetAnnotations
 * does: copies the Deployment's annotations, raises the revision to
 * newRevision when it is lower and, when a revision existed (a rollback
 * re-using an old ReplicaSet), appends the old number to revision-history.
 * Returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(deployment: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  let changed = copyAnnotations(deployment, rs);
  const annotationMap = (rs.metadata.annotations ??= {});
  const oldText = annotationMap[annotations.revision];
  const oldRevision = oldText === undefined ? 0 : Number(oldText);
  if (oldText !== undefined && !Number.isInteger(oldRevision)) return changed;

  if (oldRevision < newRevision) {
    annotationMap[annotations.revision] = String(newRevision);
    changed = true;
    if (oldText !== undefined) appendRevisionHistory(annotationMap, oldText);
  }
  if (!exists && setReplicasAnnotations(rs, deployment.spec.replicas, deployment.spec.replicas + maxSurge(deployment))) changed = true;
  return changed;
}

function appendRevisionHistory(annotationMap: Record<string, string>, oldRevision: string): void {
  const history = annotationMap[annotations.revisionHistory] ?? '';
  if (history === '') {
    annotationMap[annotations.revisionHistory] = oldRevision;
    return;
  }
  const entries = history.split(',');
  let totalLength = history.length + oldRevision.length + 1;
  let start = 0;
  while (totalLength > maxRevisionHistoryLength && start < entries.length) {
    totalLength -= entries[start]!.length + 1;
    start += 1;
  }
  if (totalLength <= maxRevisionHistoryLength) annotationMap[annotations.revisionHistory] = [...entries.slice(start), oldRevision].join(',');
}

/** Returns whether a rollout is complete: every replica updated and available, and the latest generation observed. */
export function deploymentComplete(deployment: Deployment, status: NonNullable<Deployment['status']>): boolean {
  const desired = deployment.spec.replicas;
  return (
    status.updatedReplicas === desired &&
    status.replicas === desired &&
    status.availableReplicas === desired &&
    (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0)
  );
}

/** Returns whether the new status shows progress against the stored one (DeploymentProgressing). */
export function deploymentProgressing(deployment: Deployment, status: NonNullable<Deployment['status']>): boolean {
  const old = deployment.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}
