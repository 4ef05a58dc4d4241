import { errorMessage } from '../errors.ts';
import { RollbackError } from './history.ts';
import type { KubeRequester } from '../kube/requester.ts';
import { changeCauseAnnotation, revisionOf, type Deployment } from './objects.ts';
import { listReplicaSetPods, verifyPods } from './pods.ts';
import { progressingCondition } from './status.ts';
import { templateImages } from './template.ts';
import type { RevisionSnapshot, RollbackLog, RollbackRequest, RollbackResult, UndoOutcome, VerificationCheck } from './types.ts';
import { undoDeployment } from './undo.ts';
import { waitForRollout } from './wait.ts';

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

/**
 * Rolls one Deployment back as `kubectl rollout undo` does, exactly once,
 * then (when `request.wait`) waits for the rollout like `kubectl rollout
 * status` and verifies the pods and any extra checks. Never throws: a
 * failure becomes a result with outcome `failed` and the reason in `message`.
 */
export async function rollbackDeployment(client: KubeRequester, request: RollbackRequest, log: RollbackLog): Promise<RollbackResult> {
  const startedAt = Date.now();
  const deadline = startedAt + request.timeoutMs;
  const base = { deployment: request.deployment, namespace: request.namespace, dryRun: request.dryRun ?? false };
  let undo: UndoOutcome | undefined;

  try {
    undo = await undoDeployment(client, request, log, deadline);
    const before = snapshot(undo.before);
    const common = { ...base, fromRevision: undo.fromRevision, toRevision: undo.toRevision, before };

    if (undo.kind !== 'patched') {
      log.info(undo.message);
      return { ...common, outcome: 'skipped', message: undo.message, after: undefined, verification: [], durationMs: Date.now() - startedAt };
    }

    const rolledBack = `rolled back deployment "${request.deployment}" from revision ${undo.fromRevision ?? '?'} to revision ${undo.toRevision}`;
    if (!request.wait) {
      log.info(`${rolledBack}; not waiting for the rollout because wait is false`);
      return { ...common, outcome: 'rolled-back', message: rolledBack, after: snapshot(undo.patched), verification: [], durationMs: Date.now() - startedAt };
    }

    const final = await waitForRollout({
      client,
      deployment: undo.patched,
      target: undo.target,
      conditionBefore: progressingCondition(undo.before),
      deadline,
      timeoutMs: request.timeoutMs,
      log,
      podCheckIntervalMs: request.podCheckIntervalMs ?? 5000,
    });

    const verification = await verify(client, request, final, undo, deadline);
    const after = snapshot(final);
    const failed = verification.filter((check) => !check.passed);
    const duration = Date.now() - startedAt;
    const newRevision = after.revision !== undefined && after.revision !== undo.toRevision ? ` (now revision ${after.revision})` : '';

    if (failed.length > 0) {
      const message = `${rolledBack}${newRevision}, but verification failed: ${failed.map((check) => `${check.name}: ${check.detail}`).join('; ')}`;
      return { ...common, outcome: 'failed', message, after, verification, durationMs: duration };
    }
    return { ...common, outcome: 'rolled-back', message: `${rolledBack}${newRevision}`, after, verification, durationMs: duration };
  } catch (error) {
    // The Deployment read before a failed decision still gives the summary its "before" state.
    const read = undo?.before ?? (error instanceof RollbackError ? error.deployment : undefined);
    const before = read ? snapshot(read) : undefined;
    // The patch may have been applied before the wait failed, so the message reports it and shows the patched template.
    const applied = undo?.kind === 'patched';
    const message = applied ? `rolled back deployment "${request.deployment}" from revision ${undo?.fromRevision ?? '?'} to revision ${undo?.toRevision}, but the rollout failed: ${errorMessage(error)}` : errorMessage(error);
    const after = applied && undo?.kind === 'patched' ? snapshot(undo.patched) : undefined;
    return { ...base, outcome: 'failed', message, fromRevision: undo?.fromRevision ?? before?.revision, toRevision: undo?.toRevision, before, after, verification: [], durationMs: Date.now() - startedAt };
  }
}

async function verify(client: KubeRequester, request: RollbackRequest, final: Deployment, undo: Extract<UndoOutcome, { kind: 'patched' }>, deadline: number): Promise<VerificationCheck[]> {
  const pods = await listReplicaSetPods(client, final, undo.target, deadline);
  const checks = verifyPods(final, pods);
  if (request.verify && checks.every((check) => check.passed)) checks.push(...(await request.verify(final)));
  return checks;
}
