import { errorMessage } from '../errors.ts';
import { readHistory, RollbackError } from './history.ts';
import type { KubeRequester } from '../kube/requester.ts';
import { changeCauseAnnotation, revisionOf, type Deployment, type ReplicaSet } from './objects.ts';
import { listReplicaSetPods, verifyPods } from './pods.ts';
import { progressingCondition } from './status.ts';
import { templateImages } from './template.ts';
import type { RevisionSnapshot, RollbackLog, RollbackRequest, RollbackResult, UndoOutcome, VerificationCheck } from './types.ts';
import { readDeployment, undoDeployment } from './undo.ts';
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
      if (undo.kind === 'skipped' && request.wait && !request.dryRun) return await confirmSkipped(client, request, undo, log, startedAt);
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

    const verification = await verify(client, request, final, undo.target, deadline);
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
    const common = { ...base, outcome: 'failed' as const, fromRevision: undo?.fromRevision ?? before?.revision, toRevision: undo?.toRevision, before };
    if (undo?.kind !== 'patched') return { ...common, message: errorMessage(error), after: undefined, verification: [], durationMs: Date.now() - startedAt };

    // The patch was applied before the wait failed, so the message reports it, and the summary shows the state the rollout reached.
    const { after, verification } = await describeFailedRollout(client, request, undo);
    const newRevision = after.revision !== undefined && after.revision !== undo.toRevision ? ` (now revision ${after.revision})` : '';
    const message = `rolled back deployment "${request.deployment}" from revision ${undo.fromRevision ?? '?'} to revision ${undo.toRevision}${newRevision}, but the rollout failed: ${errorMessage(error)}`;
    return { ...common, message, after, verification, durationMs: Date.now() - startedAt };
  }
}

/** Time allowed for reading the state after a failed rollout, which may come after the overall deadline. */
const failureReadMs = 10_000;

/**
 * Reads the Deployment and the restored ReplicaSet's pods again after a
 * rollout that failed, so that the summary shows the revision and the ready
 * pods it reached and the pod checks. When a read fails too, it falls back
 * to the Deployment as the patch returned it, without checks.
 */
async function describeFailedRollout(client: KubeRequester, request: RollbackRequest, undo: Extract<UndoOutcome, { kind: 'patched' }>): Promise<{ after: RevisionSnapshot; verification: VerificationCheck[] }> {
  const deadline = Date.now() + failureReadMs;
  try {
    const deployment = await readDeployment(client, request.deployment, request.namespace, deadline);
    const pods = await listReplicaSetPods(client, deployment, undo.target, deadline);
    return { after: snapshot(deployment), verification: verifyPods(deployment, pods) };
  } catch {
    return { after: snapshot(undo.patched), verification: [] };
  }
}

/**
 * Waits for the current rollout of a Deployment whose rollback was skipped
 * and verifies its pods, as `kubectl rollout status` after a skipped undo
 * would. An earlier rollback whose rollout failed or never finished then
 * fails this run instead of passing as a plain skip. A ProgressDeadlineExceeded
 * counts even when it was raised before this run, because it belongs to the
 * rollout being confirmed.
 */
async function confirmSkipped(client: KubeRequester, request: RollbackRequest, undo: Extract<UndoOutcome, { kind: 'skipped' }>, log: RollbackLog, startedAt: number): Promise<RollbackResult> {
  const deadline = startedAt + request.timeoutMs;
  const before = snapshot(undo.before);
  const common = { deployment: request.deployment, namespace: request.namespace, dryRun: false, fromRevision: undo.fromRevision, toRevision: undo.toRevision, before };
  log.info(`Waiting for the current rollout of deployment "${request.deployment}" and verifying its pods, because wait is true`);

  try {
    const final = await waitForRollout({ client, deployment: undo.before, target: undo.current, targetName: 'the current revision', conditionBefore: undefined, deadline, timeoutMs: request.timeoutMs, log, podCheckIntervalMs: request.podCheckIntervalMs ?? 5000 });
    // The controller may have created the ReplicaSet of the current template during the wait.
    const current = undo.current ?? (await readHistory(client, final, deadline)).current;
    const verification = current ? await verify(client, request, final, current, deadline) : [{ name: 'pods ready', passed: false, detail: 'no ReplicaSet matches the current pod template' }];
    const failed = verification.filter((check) => !check.passed);
    const after = snapshot(final);
    const durationMs = Date.now() - startedAt;

    if (failed.length > 0) {
      const message = `${undo.message}. The current rollout finished, but verification failed: ${failed.map((check) => `${check.name}: ${check.detail}`).join('; ')}`;
      return { ...common, outcome: 'failed', message, after, verification, durationMs };
    }
    return { ...common, outcome: 'skipped', message: `${undo.message}. The current rollout is complete and its pods passed verification`, after, verification, durationMs };
  } catch (error) {
    return { ...common, outcome: 'failed', message: `${undo.message}. The current rollout did not succeed: ${errorMessage(error)}`, after: undefined, verification: [], durationMs: Date.now() - startedAt };
  }
}

async function verify(client: KubeRequester, request: RollbackRequest, final: Deployment, replicaSet: ReplicaSet, deadline: number): Promise<VerificationCheck[]> {
  const pods = await listReplicaSetPods(client, final, replicaSet, deadline);
  const checks = verifyPods(final, pods);
  if (request.verify && checks.every((check) => check.passed)) checks.push(...(await request.verify(final)));
  return checks;
}
