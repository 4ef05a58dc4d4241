import { errorMessage } from '../errors.ts';
import type { KubeRequester } from '../kube/requester.ts';
import { confirmSkipped } from './confirm.ts';
import { RollbackError } from './history.ts';
import { progressingCondition } from './status.ts';
import type { RollbackLog, RollbackRequest, RollbackResult, UndoOutcome } from './types.ts';
import { undoDeployment } from './undo.ts';
import { describeFailedRollout, newRevisionNote, snapshot, verifyReplicaSet } from './verification.ts';
import { waitForRollout } from './wait.ts';

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
      if (undo.kind === 'skipped' && request.wait && !request.dryRun) return await confirmSkipped(client, request, undo, log, { startedAt, deadline, base });
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

    const verification = await verifyReplicaSet(client, request, final, undo.target, deadline);
    const after = snapshot(final);
    const failed = verification.filter((check) => !check.passed);
    const duration = Date.now() - startedAt;
    const newRevision = newRevisionNote(after, undo.toRevision);

    if (failed.length > 0) {
      const message = `${rolledBack}${newRevision}, but verification failed: ${failed.map((check) => `${check.name}: ${check.detail}`).join('; ')}`;
      return { ...common, outcome: 'failed', message, after, verification, durationMs: duration };
    }
    return { ...common, outcome: 'rolled-back', message: `${rolledBack}${newRevision}`, after, verification, durationMs: duration };
  } catch (error) {
    // The Deployment read before a failed decision still gives the summary its "before" state.
    const read = undo?.before ?? (error instanceof RollbackError ? error.deployment : undefined);
    const before = read ? snapshot(read) : undefined;
    const common = { ...base, outcome: 'failed' as const, fromRevision: undo?.fromRevision ?? before?.revision, toRevision: undo?.toRevision, before };
    if (undo?.kind !== 'patched') return { ...common, message: errorMessage(error), after: undefined, verification: [], durationMs: Date.now() - startedAt };

    // The patch was applied before the wait failed, so the message reports it, and the summary shows the state the rollout reached.
    const { after, verification } = await describeFailedRollout(client, request, undo.patched, undo.target, undo.patched.metadata.generation ?? 0);
    const message = `rolled back deployment "${request.deployment}" from revision ${undo.fromRevision ?? '?'} to revision ${undo.toRevision}${newRevisionNote(after, undo.toRevision)}, but the rollout failed: ${errorMessage(error)}`;
    return { ...common, message, after, verification, durationMs: Date.now() - startedAt };
  }
}
