import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import type { KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import type { KubeClient } from '@atom-actions/shared/kube/client';
import { rollbackDeployment } from '@atom-actions/shared/rollback/rollback';

import { appliedPatches, clientFor, memoryLog, rollbackRequest as request, seedRevisionHistory, startSimulator, storedDeployment, type RevisionBehaviors } from './helpers.ts';

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

describe('rollbackDeployment against the simulator', () => {
  test('racing rollbacks undo exactly once', async () => {
    seed('race');
    await sim.settle();
    // Both runs read the same state before either write is served.
    sim.faults.add({ method: 'PATCH', pathPattern: '/apis/apps/v1/namespaces/race/deployments/atom', latencyMs: 300, times: 2 });

    const logs = [memoryLog(), memoryLog()];
    const results = await Promise.all(logs.map((log) => rollbackDeployment(client, request('race', { expectedRevision: 3 }), log)));

    expect(results.map((result) => result.outcome).sort()).toEqual(['rolled-back', 'skipped']);
    expect(appliedPatches(sim, 'race')).toBe(1);
    expect(logs.some((log) => log.lines.some((line) => line.includes('reading it again to decide again')))).toBe(true);
    await sim.settle();
    expect(storedDeployment(sim, 'race').spec.template.spec.containers[0]?.image).toBe('atom:1.2');
  });

  test('crash-looping target fails with pod names', async () => {
    seed('crash', { targetBehavior: 'crash-loop' });
    await sim.settle();

    const result = await rollbackDeployment(client, request('crash'), memoryLog());

    expect(result.outcome).toBe('failed');
    expect(result.message).toContain('the pods of the restored revision of deployment "atom" are failing');
    expect(result.message).toMatch(/atom-[a-z0-9]+-[a-z0-9]+ \(container app: CrashLoopBackOff/);
    expect(result.message).not.toContain('timed out');
    // The patch was applied before the wait failed, and the result must report it with the state the rollout reached.
    expect(result.message).toMatch(/^rolled back deployment "atom" from revision 3 to revision 2 \(now revision 4\), but the rollout failed: /);
    expect(result.after?.revision).toBe(4);
    expect(result.after?.images).toEqual(['app=atom:1.2']);
    const failing = result.verification.find((check) => check.name === 'no failing containers');
    expect(failing?.passed).toBe(false);
    expect(failing?.detail).toContain('CrashLoopBackOff');
  });

  test('left-over deadline failure does not fail rollback', async () => {
    seed('deadline', { currentBehavior: 'never-ready', spec: { progressDeadlineSeconds: 10 } });
    await sim.settle({ includeProgressDeadlines: true });
    const before = storedDeployment(sim, 'deadline').status?.conditions?.find((condition) => condition.type === 'Progressing');
    expect(before?.reason).toBe('ProgressDeadlineExceeded');

    const result = await rollbackDeployment(client, request('deadline'), memoryLog());

    expect(result.message).toBe('rolled back deployment "atom" from revision 3 to revision 2 (now revision 4)');
    expect(result.outcome).toBe('rolled-back');
  });

  test('server errors and dropped watches are retried', async () => {
    seed('flaky');
    await sim.settle();
    sim.faults.add({ method: 'GET', pathPattern: '/apis/apps/v1/namespaces/flaky/deployments/atom', status: 503, times: 2 });
    sim.faults.add({ method: 'GET', pathPattern: '/apis/apps/v1/namespaces/flaky/deployments', dropWatchAfterMs: 20, times: 1 });
    const log = memoryLog();
    const lines: string[] = [];
    const flakyClient = clientFor(sim);
    (flakyClient as unknown as { options: { log: (line: string) => void } }).options.log = (line) => lines.push(line);

    const result = await rollbackDeployment(flakyClient, request('flaky'), log);

    expect(result.outcome).toBe('rolled-back');
    expect(lines.filter((line) => line.startsWith('Retrying read deployment "atom"'))).toHaveLength(2);
    expect(log.lines).toContain('deployment "atom" successfully rolled out');
  });

  test('timeout reports last status', async () => {
    seed('slow', { targetBehavior: 'never-ready' });
    await sim.settle();

    const result = await rollbackDeployment(client, request('slow', { timeoutMs: 1500, podCheckIntervalMs: 60_000 }), memoryLog());

    expect(result.outcome).toBe('failed');
    // The patch was applied before the wait timed out, so the message reports both.
    expect(result.message).toMatch(/^rolled back deployment "atom" from revision 3 to revision 2 \(now revision 4\), but the rollout failed: /);
    expect(result.message).toMatch(/timed out after 1\.5s waiting for the rollout of deployment "atom": Waiting for deployment "atom" rollout to finish: /);
  });
});
