import type { Deployment, DeploymentCondition } from './objects.ts';

/** A Deployment's rollout progress as kubectl's `rollout status` reports it. */
export interface RolloutStatus {
  /** kubectl's message, without the trailing newline. */
  message: string;
  done: boolean;
}

/**
 * Describes the rollout with the messages of kubectl's `DeploymentStatusViewer`
 * (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go). Unlike kubectl it
 * does not fail on ProgressDeadlineExceeded here: the wait decides whether
 * that condition is new (see `isNewDeadlineExceeded`).
 */
export function rolloutStatus(deployment: Deployment): RolloutStatus {
  const name = deployment.metadata.name ?? '';
  const status = deployment.status ?? {};
  const generation = deployment.metadata.generation ?? 0;
  const waiting = `Waiting for deployment "${name}" rollout to finish:`;

  if (generation > (status.observedGeneration ?? 0)) {
    return { message: 'Waiting for deployment spec update to be observed...', done: false };
  }

  const desired = deployment.spec.replicas;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;

  if (desired !== undefined && updated < desired) {
    return { message: `${waiting} ${updated} out of ${desired} new replicas have been updated...`, done: false };
  }
  if (total > updated) {
    return { message: `${waiting} ${total - updated} old replicas are pending termination...`, done: false };
  }
  if (available < updated) {
    return { message: `${waiting} ${available} of ${updated} updated replicas are available...`, done: false };
  }
  return { message: `deployment "${name}" successfully rolled out`, done: true };
}

/** Returns the Deployment's `Progressing` condition, if any. */
export function progressingCondition(deployment: Deployment): DeploymentCondition | undefined {
  return deployment.status?.conditions?.find((condition) => condition.type === 'Progressing');
}

/**
 * Returns whether the Deployment reports a ProgressDeadlineExceeded raised
 * by the rollback itself. The condition counts once the controller has
 * observed the rollback's generation, and, when the failed release had
 * already exceeded its deadline, only after the condition showed progress
 * (another reason) since the rollback. The Deployment controller keeps a
 * timed-out condition until the rollout progresses again, so without that
 * episode the condition is the failed release's.
 */
export function isNewDeadlineExceeded(deployment: Deployment, before: DeploymentCondition | undefined, rollbackGeneration: number, progressedSinceRollback: boolean): boolean {
  const condition = progressingCondition(deployment);
  if (condition?.reason !== 'ProgressDeadlineExceeded') return false;
  if ((deployment.status?.observedGeneration ?? 0) < rollbackGeneration) return false;
  if (before?.reason !== 'ProgressDeadlineExceeded') return true;
  return progressedSinceRollback;
}
