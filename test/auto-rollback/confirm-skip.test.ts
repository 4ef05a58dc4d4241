import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import type { KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import type { KubeClient } from '@atom-actions/shared/kube/client';
import { rollbackDeployment } from '@atom-actions/shared/rollback/rollback';
import { waitForRollout } from '@atom-actions/shared/rollback/wait';

import { appliedPatches, clientFor, memoryLog, rollbackRequest as request, seedRevisionHistory, startSimulator, storedDeployment, type RevisionBehaviors } from './helpers.ts';

// A re-run of a rollback that changes nothing still waits for the current
// rollout and verifies it, so that a failed earlier rollback is reported.

let sim: KubeSimulator;
let client: KubeClient;

beforeAll(async () => {
  sim = await startSimulator();
  client = clientFor(sim);
});

afterAll(async () => {
  await sim.stop();
});

function seed(namespace: string, options: RevisionBehaviors = {}): void {
  seedRevisionHistory(sim, namespace, options);
}

describe('a rollback that changes nothing', () => {
  test('confirms a finished earlier rollback and skips', async () => {
    seed('done');
    await sim.settle();
    const first = await rollbackDeployment(client, request('done'), memoryLog());
    expect(first.outcome).toBe('rolled-back');

    const log = memoryLog();
    const second = await rollbackDeployment(client, request('done'), log);

    expect(second.outcome).toBe('skipped');
    expect(second.message).toMatch(/^deployment "atom" was already rolled back from revision 3 to revision 2 .*\. The current rollout is complete and its pods passed verification$/);
    expect(second.verification.map((check) => [check.name, check.passed])).toEqual([
      ['pods ready', true],
      ['no failing containers', true],
    ]);
    expect(second.after?.revision).toBe(4);
    expect(log.lines).toContain('deployment "atom" successfully rolled out');
    expect(appliedPatches(sim, 'done')).toBe(1);
  });

  test('fails when the earlier rollback crash-loops', async () => {
    seed('crash', { targetBehavior: 'crash-loop' });
    await sim.settle();
    const first = await rollbackDeployment(client, request('crash'), memoryLog());
    expect(first.outcome).toBe('failed');

    const second = await rollbackDeployment(client, request('crash'), memoryLog());

    expect(second.outcome).toBe('failed');
    expect(second.message).toMatch(/^deployment "atom" was already rolled back from revision 3 to revision 2 .*\. The current rollout did not succeed: the pods of the current revision of deployment "atom" are failing: /);
    expect(second.message).toMatch(/atom-[a-z0-9]+-[a-z0-9]+ \(container app: CrashLoopBackOff/);
    expect(second.before?.revision).toBe(4);
    // The re-run reports the failure but does not patch again.
    expect(appliedPatches(sim, 'crash')).toBe(1);
  });

  test('fails on a deadline the earlier rollback exceeded', async () => {
    seed('deadline', { targetBehavior: 'never-ready', spec: { progressDeadlineSeconds: 10 } });
    await sim.settle();
    const first = await rollbackDeployment(client, request('deadline', { podCheckIntervalMs: 60_000 }), memoryLog());
    expect(first.message).toContain('exceeded its progress deadline after the rollback');
    expect(storedDeployment(sim, 'deadline').status?.conditions?.find((condition) => condition.type === 'Progressing')?.reason).toBe('ProgressDeadlineExceeded');

    const second = await rollbackDeployment(client, request('deadline', { podCheckIntervalMs: 60_000 }), memoryLog());

    expect(second.outcome).toBe('failed');
    expect(second.message).toContain('. The current rollout did not succeed: deployment "atom" exceeded its progress deadline: ');
    expect(second.message).not.toContain('after the rollback');
    expect(appliedPatches(sim, 'deadline')).toBe(1);
  });

  test('confirms a template already at the target', async () => {
    seed('at-target');
    await sim.settle();

    const result = await rollbackDeployment(client, request('at-target', { toRevision: 3 }), memoryLog());

    expect(result.outcome).toBe('skipped');
    expect(result.message).toBe('skipped rollback (current template already matches revision 3). The current rollout is complete and its pods passed verification');
    expect(result.verification.every((check) => check.passed)).toBe(true);
    expect(appliedPatches(sim, 'at-target')).toBe(0);
  });

  test('dry run does not wait', async () => {
    seed('dry-rerun', { targetBehavior: 'crash-loop' });
    await sim.settle();
    await rollbackDeployment(client, request('dry-rerun', { wait: false }), memoryLog());

    const result = await rollbackDeployment(client, request('dry-rerun', { dryRun: true }), memoryLog());

    expect(result.outcome).toBe('skipped');
    expect(result.dryRun).toBe(true);
    expect(result.verification).toEqual([]);
  });

  test('pod check finds an unknown target', async () => {
    seed('lookup', { targetBehavior: 'crash-loop' });
    await sim.settle();
    await rollbackDeployment(client, request('lookup', { wait: false }), memoryLog());
    const deployment = structuredClone(storedDeployment(sim, 'lookup'));

    const wait = waitForRollout({ client, deployment, target: undefined, confirming: true, conditionBefore: undefined, deadline: Date.now() + 20_000, timeoutMs: 20_000, log: memoryLog(), podCheckIntervalMs: 200 });

    await expect(wait).rejects.toThrow(/^the pods of the current revision of deployment "atom" are failing: atom-[a-z0-9]+-[a-z0-9]+ \(container app: CrashLoopBackOff/);
  });

  test('without wait, skips at once', async () => {
    seed('nowait', { targetBehavior: 'never-ready' });
    await sim.settle();
    await rollbackDeployment(client, request('nowait', { wait: false }), memoryLog());

    const second = await rollbackDeployment(client, request('nowait', { wait: false }), memoryLog());

    expect(second.outcome).toBe('skipped');
    expect(second.message).toMatch(/, so nothing was changed; set to-revision to roll back further$/);
    expect(second.verification).toEqual([]);
  });
});
