import type { KubeRequester } from '../kube/requester.ts';
import { errorMessage } from '../errors.ts';
import { readHistory } from './history.ts';
import type { Deployment } from './objects.ts';
import type { RollbackLog, RollbackRequest, RollbackResult, UndoOutcome } from './types.ts';
import { describeFailedRollout, snapshot, verifyReplicaSet } from './verification.ts';
import { waitForRollout } from './wait.ts';

/** The run's start, deadline and the fields every result of the run shares. */
export interface RunContext {
  startedAt: number;
  deadline: number;
  base: Pick<RollbackResult, 'deployment' | 'namespace' | 'dryRun'>;
}

/**
 * Waits for the current rollout of a Deployment whose rollback was skipped
 * and verifies its pods, as `kubectl rollout status` after a skipped undo
 * would. An earlier rollback whose rollout failed or never finished then
 * fails this run instead of passing as a plain skip. Any ProgressDeadlineExceeded
 * counts, even one raised before this run, because it belongs to the rollout
 * being confirmed.
 */
export async function confirmSkipped(client: KubeRequester, request: RollbackRequest, undo: Extract<UndoOutcome, { kind: 'skipped' }>, log: RollbackLog, run: RunContext): Promise<RollbackResult> {
  const common = { ...run.base, fromRevision: undo.fromRevision, toRevision: undo.toRevision, before: snapshot(undo.before) };
  const generation = undo.before.metadata.generation ?? 0;
  log.info(`Waiting for the current rollout of deployment "${request.deployment}" and verifying its pods, because wait is true`);

  let final: Deployment;
  try {
    final = await waitForRollout({ client, deployment: undo.before, target: undo.current, confirming: true, conditionBefore: undefined, deadline: run.deadline, timeoutMs: request.timeoutMs, log, podCheckIntervalMs: request.podCheckIntervalMs ?? 5000 });
  } catch (error) {
    const { after, verification } = await describeFailedRollout(client, request, undo.before, undo.current, generation);
    return { ...common, outcome: 'failed', message: `${undo.message}. The current rollout did not succeed: ${errorMessage(error)}`, after, verification, durationMs: Date.now() - run.startedAt };
  }

  const after = snapshot(final);
  try {
    // The controller may have created the ReplicaSet of the current template during the wait.
    const current = undo.current ?? (await readHistory(client, final, run.deadline)).current;
    const verification = current ? await verifyReplicaSet(client, request, final, current, run.deadline) : [{ name: 'pods ready', passed: false, detail: 'no ReplicaSet matches the current pod template' }];
    const failed = verification.filter((check) => !check.passed);
    const durationMs = Date.now() - run.startedAt;

    if (failed.length > 0) {
      const message = `${undo.message}. The current rollout finished, but verification failed: ${failed.map((check) => `${check.name}: ${check.detail}`).join('; ')}`;
      return { ...common, outcome: 'failed', message, after, verification, durationMs };
    }
    return { ...common, outcome: 'skipped', message: `${undo.message}. The current rollout is complete and its pods passed verification`, after, verification, durationMs };
  } catch (error) {
    return { ...common, outcome: 'failed', message: `${undo.message}. The current rollout is complete, but its pods could not be checked: ${errorMessage(error)}`, after, verification: [], durationMs: Date.now() - run.startedAt };
  }
}
