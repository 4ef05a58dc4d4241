import type { KubeRequester } from '../kube/requester.ts';
import { changeCauseAnnotation, revisionOf, type Deployment, type ReplicaSet } from './objects.ts';
import { listReplicaSetPods, verifyPods } from './pods.ts';
import { templateImages } from './template.ts';
import type { RevisionSnapshot, RollbackRequest, VerificationCheck } from './types.ts';
import { readDeployment } from './undo.ts';

/** Time allowed for reading the state after a failed rollout, which may end up to this long after the overall timeout. */
export const failureReadMs = 5_000;

/** Describes the Deployment's revision, images, change-cause and replicas. */
export function snapshot(deployment: Deployment): RevisionSnapshot {
  return {
    revision: revisionOf(deployment),
    images: templateImages(deployment.spec.template),
    changeCause: deployment.metadata.annotations?.[changeCauseAnnotation] ?? '',
    replicas: deployment.spec.replicas ?? 0,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
  };
}

/** Checks the pods of a ReplicaSet (every desired pod ready, no failing container), then runs `request.verify` when they pass. */
export async function verifyReplicaSet(client: KubeRequester, request: RollbackRequest, deployment: Deployment, replicaSet: ReplicaSet, deadline: number): Promise<VerificationCheck[]> {
  const pods = await listReplicaSetPods(client, deployment, replicaSet, deadline);
  const checks = verifyPods(deployment, pods);
  if (request.verify && checks.every((check) => check.passed)) checks.push(...(await request.verify(deployment)));
  return checks;
}

/**
 * Reads the Deployment and the pods of the ReplicaSet being rolled out again
 * after a rollout that failed, so that the summary shows the state the
 * rollout reached and the pod checks. The revision counts only once the
 * controller has observed `generation`, because until then the annotation
 * is the one before the rollout. When a read fails, it falls back to
 * `fallback` without a revision and without checks.
 */
export async function describeFailedRollout(client: KubeRequester, request: RollbackRequest, fallback: Deployment, replicaSet: ReplicaSet | undefined, generation: number): Promise<{ after: RevisionSnapshot; verification: VerificationCheck[] }> {
  const deadline = Date.now() + failureReadMs;
  try {
    const deployment = await readDeployment(client, request.deployment, request.namespace, deadline);
    const observed = (deployment.status?.observedGeneration ?? 0) >= generation;
    const pods = replicaSet ? await listReplicaSetPods(client, deployment, replicaSet, deadline) : undefined;
    return { after: { ...snapshot(deployment), revision: observed ? revisionOf(deployment) : undefined }, verification: pods ? verifyPods(deployment, pods) : [] };
  } catch {
    return { after: { ...snapshot(fallback), revision: undefined }, verification: [] };
  }
}

/** Returns ` (now revision N)` when the controller gave the restored template a new revision, else ''. */
export function newRevisionNote(after: RevisionSnapshot, toRevision: number | undefined): string {
  return after.revision !== undefined && after.revision !== toRevision ? ` (now revision ${after.revision})` : '';
}
