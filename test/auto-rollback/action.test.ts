import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import type { KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import { runAction } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { appliedPatches, startSimulator, storedDeployment } from './helpers.ts';

let sim: KubeSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(async () => {
  await sim.stop();
});

function seedThreeRevisions(namespace: string): void {
  sim.seed.namespace(namespace);
  sim.seed.deployment({
    name: 'atom',
    namespace,
    replicas: 2,
    revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2', annotations: { 'kubernetes.io/change-cause': 'deploy 1.2' } }, { image: 'atom:1.3' }],
  });
}

function rollback(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction({ actionDirectory: actionDirectory('auto-rollback'), inputs: { kubeconfig: sim.kubeconfig, timeout: '60s', ...inputs }, env, timeoutMs: 60_000 });
}

describe('auto-rollback action', () => {
  test('rolls back, waits and reports', async () => {
    seedThreeRevisions('happy');
    await sim.settle();

    const result = await rollback({ deployments: 'atom', namespace: 'happy', reason: 'smoke test failed' });

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['rolled-back']).toBe('true');
    expect(result.outputs['from-revision']).toBe('3');
    expect(result.outputs['to-revision']).toBe('2');
    expect(result.log.join('\n')).toContain('deployment "atom" successfully rolled out');
    expect(result.summary).toContain('### ✅ deployment atom in happy: rolled-back');
    expect(result.summary).toContain('deploy 1.2');
    expect(result.summary).toContain('app=atom:1.3');
    expect(result.masks).toContain(sim.token);

    const deployment = storedDeployment(sim, 'happy');
    expect(deployment.spec.template.spec.containers[0]?.image).toBe('atom:1.2');
    expect(deployment.metadata.annotations?.['atom-actions.io/rollback-reason']).toBe('smoke test failed');
    expect(deployment.metadata.annotations?.['atom-actions.io/rolled-back-from']).toBe('3');
  });

  test('second run changes nothing', async () => {
    seedThreeRevisions('rerun');
    await sim.settle();

    const first = await rollback({ deployments: 'atom', namespace: 'rerun', 'expected-revision': '3' });
    expect(first.outputs['rolled-back']).toBe('true');
    await sim.settle();

    const second = await rollback({ deployments: 'atom', namespace: 'rerun', 'expected-revision': '3' });
    const third = await rollback({ deployments: 'atom', namespace: 'rerun' });

    expect(second.exitCode).toBe(0);
    expect(second.outputs['rolled-back']).toBe('skipped');
    expect(second.outputs['message']).toContain('not at the expected revision 3');
    expect(third.outputs['rolled-back']).toBe('skipped');
    expect(third.outputs['message']).toContain('was already rolled back from revision 3 to revision 2');
    expect(appliedPatches(sim, 'rerun')).toBe(1);
  });

  test('re-run after a crash-looping rollback fails', async () => {
    sim.seed.namespace('recrash');
    sim.seed.deployment({
      name: 'atom',
      namespace: 'recrash',
      replicas: 2,
      revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2', podAnnotations: { 'sim.atom-actions.io/behavior': 'crash-loop' } }, { image: 'atom:1.3' }],
    });
    await sim.settle();
    const first = await rollback({ deployments: 'atom', namespace: 'recrash' });
    expect(first.outputs['rolled-back']).toBe('false');

    const second = await rollback({ deployments: 'atom', namespace: 'recrash' });

    expect(second.exitCode).toBe(1);
    expect(second.outputs['rolled-back']).toBe('false');
    expect(second.outputs['message']).toContain('was already rolled back from revision 3 to revision 2');
    expect(second.errors[0]).toContain('. The current rollout did not succeed: the pods of the current revision of deployment "atom" are failing');
    expect(second.log).toContain('Waiting for the current rollout of deployment "atom" and verifying its pods, because wait is true');
    expect(second.summary).toContain('### ❌ deployment atom in recrash: failed');
    expect(second.summary).toContain('CrashLoopBackOff');
    expect(appliedPatches(sim, 'recrash')).toBe(1);
  });

  test('several deployments each reported', async () => {
    sim.seed.namespace('many');
    sim.seed.deployment({ name: 'atom', namespace: 'many', revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2' }] });
    sim.seed.deployment({ name: 'worker', namespace: 'many', revisions: [{ image: 'worker:1.0' }] });
    await sim.settle();

    const result = await rollback({ deployments: 'atom, worker', namespace: 'many' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['rolled-back']).toBe('false');
    expect(result.outputs['from-revision']).toBe('atom=2,worker=1');
    const results = JSON.parse(result.outputs['results'] ?? '[]') as { deployment: string; outcome: string }[];
    expect(results.map((entry) => [entry.deployment, entry.outcome])).toEqual([
      ['atom', 'rolled-back'],
      ['worker', 'failed'],
    ]);
    expect(result.errors).toEqual(['[worker] no rollout history found for deployment "worker"']);
    const messages = (result.outputs['message'] ?? '').split('\n');
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^\[atom\] rolled back deployment "atom" from revision 2 to revision 1/);
    expect(messages[1]).toBe('[worker] no rollout history found for deployment "worker"');
  });

  test('dry run writes nothing', async () => {
    seedThreeRevisions('dry');
    await sim.settle();

    const result = await rollback({ deployments: 'atom', namespace: 'dry', 'dry-run': 'true' });

    expect(result.exitCode).toBe(0);
    expect(result.outputs['rolled-back']).toBe('skipped');
    expect(result.outputs['message']).toContain('dry run: would roll back deployment "atom" from revision 3 to revision 2 (app=atom:1.2)');
    expect(appliedPatches(sim, 'dry')).toBe(0);
  });
});

describe('auto-rollback bad input', () => {
  test('unknown deployment', async () => {
    const result = await rollback({ deployments: 'missing', namespace: 'default' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining('deployment "missing" was not found in namespace "default"')]);
  });

  test('namespace without access', async () => {
    sim.seed.namespace('locked');
    const removeRule = sim.access.deny({ namespace: 'locked' });
    try {
      const result = await rollback({ deployments: 'atom', namespace: 'locked' });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toContain('Failed to read deployment "atom" in namespace "locked"');
      expect(result.errors[0]).toContain('forbidden');
    } finally {
      removeRule();
    }
  });

  test('broken kubeconfig', async () => {
    const result = await rollback({ deployments: 'atom', kubeconfig: 'apiVersion: v1\nclusters: [' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(/^The kubeconfig from input "kubeconfig" is not valid: /)]);
    expect(result.stdout).not.toMatch(/\bat .+:\d+:\d+/);
  });

  test('negative revision', async () => {
    const result = await rollback({ deployments: 'atom', 'to-revision': '-2' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['Input "to-revision" has an invalid value "-2": expected a whole number of at least 1.']);
    expect(result.outputs['rolled-back']).toBe('false');
    expect(result.outputs['message']).toBe(result.errors[0]);
    expect(result.summary).toContain('❌ fail: invalid input, so nothing was changed.');
    expect(result.summary).toContain('Input "to-revision" has an invalid value "-2"');
  });

  test('timeout below minimum in seconds', async () => {
    const result = await rollback({ deployments: 'atom', timeout: '0' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['Input "timeout" has an invalid value "0": expected a duration of at least 1s, such as 30s, 5m or 1h30m.']);
  });

  test('missing revision lists history', async () => {
    seedThreeRevisions('missing-revision');
    await sim.settle();

    const result = await rollback({ deployments: 'atom', namespace: 'missing-revision', 'to-revision': '9' });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['unable to find specified revision 9 in history (revisions in history: 1, 2, 3)']);
    expect(result.outputs['rolled-back']).toBe('false');
    expect(result.outputs['from-revision']).toBe('3');
    expect(result.summary).toContain('atom:1.3');
    expect(appliedPatches(sim, 'missing-revision')).toBe(0);
  });

  test('expected revision never reached', async () => {
    seedThreeRevisions('typo');
    await sim.settle();

    const result = await rollback({ deployments: 'atom', namespace: 'typo', 'expected-revision': '7' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['rolled-back']).toBe('false');
    expect(result.errors).toEqual(['deployment "atom" is at revision 3, below the expected revision 7, which it has never had. Check expected-revision; nothing was changed.']);
    expect(appliedPatches(sim, 'typo')).toBe(0);
  });
});
