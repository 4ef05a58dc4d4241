import { isDeepStrictEqual } from 'node:util';

import { kinds } from '../resources.ts';
import type { Deployment, ReplicaSet } from '../types.ts';
import type { SyncContext } from './deployment.ts';
import { progressingUpdateTime } from './deployment.ts';
import {
  deploymentComplete,
  deploymentProgressing,
  getCondition,
  hasProgressDeadline,
  maxUnavailable,
  newCondition,
  reasons,
  removeCondition,
  setCondition,
  specReplicas,
  statusReplicas,
} from './deployment-util.ts';

type DeploymentStatus = NonNullable<Deployment['status']>;

/** Computes the Deployment status from its ReplicaSets and sets the Available condition (calculateStatus). */
export function calculateStatus(deployment: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined): DeploymentStatus {
  const available = statusReplicas(all, 'availableReplicas');
  const unavailable = Math.max(0, specReplicas(all) - available);
  const status: DeploymentStatus = {
    observedGeneration: deployment.metadata.generation,
    replicas: statusReplicas(all, 'replicas'),
    updatedReplicas: statusReplicas([newRS], 'replicas'),
    readyReplicas: statusReplicas(all, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  };
  if (deployment.status?.collisionCount !== undefined) status.collisionCount = deployment.status.collisionCount;
  status.conditions = structuredClone(deployment.status?.conditions ?? []);

  if (available >= deployment.spec.replicas - maxUnavailable(deployment)) {
    setCondition(status, newCondition('Available', 'True', reasons.minimumReplicasAvailable, 'Deployment has minimum availability.'));
  } else {
    setCondition(status, newCondition('Available', 'False', reasons.minimumReplicasUnavailable, 'Deployment does not have minimum availability.'));
  }
  return dropEmpty(status);
}

/** Real servers omit zero counters from the JSON, so the simulator does too. */
function dropEmpty(status: DeploymentStatus): DeploymentStatus {
  for (const key of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    if (status[key] === 0) delete status[key];
  }
  if (status.conditions?.length === 0) delete status.conditions;
  return status;
}

/**
 * Writes the status with the Progressing condition as syncRolloutStatus
 * does: NewReplicaSetAvailable when complete, ReplicaSetUpdated when there
 * was progress, ProgressDeadlineExceeded when the deadline has passed
 * since the last progress. Schedules a deadline check while a rollout runs.
 */
export function syncRolloutStatus(context: SyncContext, all: ReplicaSet[], newRS: ReplicaSet | undefined): void {
  const { deployment } = context;
  const status = calculateStatus(deployment, all, newRS);
  if (!hasProgressDeadline(deployment)) removeCondition(status, 'Progressing');

  const current = getCondition(deployment, 'Progressing');
  const isComplete = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === reasons.newReplicaSetAvailable;
  if (hasProgressDeadline(deployment) && !isComplete) updateProgressing(context, status, newRS, current);
  if (isDeepStrictEqual(withZeros(deployment.status ?? {}), withZeros(status))) {
    requeueStuckDeployment(context, status);
    return;
  }
  writeStatus(context, status);
  requeueStuckDeployment(context, status);
}

function updateProgressing(context: SyncContext, status: DeploymentStatus, newRS: ReplicaSet | undefined, current: ReturnType<typeof getCondition>): void {
  const { deployment } = context;
  const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${deployment.metadata.name}"`;
  if (deploymentComplete(deployment, withZeros(status))) {
    setCondition(status, newCondition('Progressing', 'True', reasons.newReplicaSetAvailable, `${subject} has successfully progressed.`));
    return;
  }
  if (deploymentProgressing(deployment, withZeros(status))) {
    const condition = newCondition('Progressing', 'True', reasons.replicaSetUpdated, `${subject} is progressing.`);
    if (current) {
      if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
    }
    setCondition(status, condition);
    context.clock.mark(`${deployment.metadata.uid}/progressing`);
    return;
  }
  if (timedOut(context, status)) {
    setCondition(status, newCondition('Progressing', 'False', reasons.progressDeadlineExceeded, `${subject} has timed out progressing.`));
  }
}

function timedOut(context: SyncContext, status: DeploymentStatus): boolean {
  const condition = status.conditions?.find((entry) => entry.type === 'Progressing');
  if (!condition || condition.reason === reasons.newReplicaSetAvailable) return false;
  if (condition.reason === reasons.progressDeadlineExceeded) return true;
  const from = progressingUpdateTime(context, condition.lastUpdateTime);
  if (from === undefined) return false;
  return context.clock.simulatedSince(from) > (context.deployment.spec.progressDeadlineSeconds ?? 600) * 1000;
}

/** Schedules a sync for when the progress deadline of a running rollout passes (requeueStuckDeployment). */
function requeueStuckDeployment(context: SyncContext, status: DeploymentStatus): void {
  const { deployment } = context;
  const condition = status.conditions?.find((entry) => entry.type === 'Progressing');
  if (!hasProgressDeadline(deployment) || !condition) return;
  if (condition.reason === reasons.newReplicaSetAvailable || condition.reason === reasons.progressDeadlineExceeded) return;
  if (deploymentComplete(deployment, withZeros(status))) return;

  const from = progressingUpdateTime(context, condition.lastUpdateTime);
  if (from === undefined) return;
  const remaining = (deployment.spec.progressDeadlineSeconds ?? 600) * 1000 - context.clock.simulatedSince(from);
  context.requeueAfter(Math.max(0, remaining) + context.clock.timeScale, 'deadline');
}

function withZeros(status: DeploymentStatus): DeploymentStatus {
  return {
    ...status,
    replicas: status.replicas ?? 0,
    updatedReplicas: status.updatedReplicas ?? 0,
    readyReplicas: status.readyReplicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
    unavailableReplicas: status.unavailableReplicas ?? 0,
  };
}

/** Stores a new Deployment status (and the revision annotation) through the status subresource. */
export function writeStatus(context: SyncContext, status: DeploymentStatus): void {
  const { deployment, registry } = context;
  const body = { ...deployment, status };
  context.deployment = registry.update(kinds.deployment, deployment.metadata.namespace, deployment.metadata.name!, body, 'status') as Deployment;
}
