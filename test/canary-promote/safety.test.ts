import { describe, expect, test } from '@jest/globals';

import { findResourceByKind } from '@atom-actions/sandbox/kube/resources';
import { runAction, startAction } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { baseInputs, readObject, useCanaryFixture, waitFor, type CanaryEnvironment } from './helpers/environment.ts';

const action = actionDirectory('canary-promote');
// Each test starts a simulator, two services and a router, and runs the action for up to a minute on a loaded machine.
const testTimeoutMs = 180_000;
const fixture = useCanaryFixture();

/** Changes the stable Deployment's image through the simulator's API, as an earlier deploy job would, and waits for the rollout. */
async function deployStableImage(env: CanaryEnvironment, image: string): Promise<void> {
  const type = findResourceByKind('apps/v1', 'Deployment')!;
  const stable = structuredClone(env.sim.store.get(type, env.namespace, 'web')!);
  stable.spec.template.spec.containers[0].image = image;
  env.sim.registry.update(type, env.namespace, 'web', stable);
  await env.sim.settle();
}

describe('canary-promote safety', () => {
  test('crash-looping canary aborts at the deadline', async () => {
    const env = await fixture.start({ namespace: 'crash-loop', router: 'replicas', replicas: 4, canaryPodAnnotations: { 'sim.atom-actions.io/behavior': 'crash-loop' } });
    const inputs = { ...baseInputs(env, fixture.prometheus().url), images: '', 'traffic-router': 'replicas', 'progress-deadline': '8s' };
    const result = await runAction({ actionDirectory: action, inputs, timeoutMs: 120_000 });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['decision']).toBe('aborted');
    expect(result.outputs['reason']).toMatch(/Deployment "web-canary" in namespace "crash-loop" (was not ready within the progress deadline of 8s|failed to roll out)/);
    expect(readObject(env, 'apps/v1', 'Deployment', 'web-canary')?.spec.replicas).toBe(0);
    expect(readObject(env, 'apps/v1', 'Deployment', 'web')?.spec.replicas).toBe(4);
    expect(result.outputs['metrics']).toBe('[]');
  }, testTimeoutMs);

  test('cancel at 50% restores stable in post', async () => {
    const env = await fixture.start({ namespace: 'cancel', router: 'gateway-api' });
    const step = startAction({ actionDirectory: action, inputs: { ...baseInputs(env, fixture.prometheus().url), 'traffic-router': 'gateway-api', pause: '3s,60s,60s' }, timeoutMs: 120_000 });
    const canaryWeight = (): number | undefined => readObject(env, 'gateway.networking.k8s.io/v1', 'HTTPRoute', 'web')?.spec.rules[0].backendRefs.find((reference: { name: string }) => reference.name === 'web-canary')?.weight;

    await waitFor(() => canaryWeight() === 50, 40_000);
    step.cancel();
    const result = await step.result;

    expect(result.exitCode).toBe(1);
    expect(result.outputs['decision']).toBe('aborted');
    expect(result.state['restore']).toBe('true');
    expect(result.post?.exitCode).toBe(0);
    expect(canaryWeight()).toBe(0);
    expect(readObject(env, 'apps/v1', 'Deployment', 'web-canary')?.spec.replicas).toBe(0);
    const state = JSON.parse(readObject(env, 'apps/v1', 'Deployment', 'web-canary')?.metadata.annotations?.['canary.atom-actions.io/state'] ?? '{}');
    expect(state.phase).toBe('aborted');
  }, testTimeoutMs);

  test('on-failure rollback rolls stable back', async () => {
    const env = await fixture.start({ namespace: 'rollback', router: 'replicas' });
    await deployStableImage(env, 'registry.example/web:v1.1');
    expect(readObject(env, 'apps/v1', 'Deployment', 'web')?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    env.canary.setFaults({ routes: { '*': { errorRate: 1 } } });

    const inputs = { ...baseInputs(env, fixture.prometheus().url), 'traffic-router': 'replicas', 'on-failure': 'rollback' };
    const result = await runAction({ actionDirectory: action, inputs, timeoutMs: 120_000 });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['decision']).toBe('aborted');
    expect(result.outputs['weight']).toBe('0');
    expect(result.log.join('\n')).toContain('on-failure is rollback: rolling Deployment "web" back to its previous revision.');
    expect(result.warnings.filter((warning) => warning.includes('Rollback of Deployment'))).toEqual([]);
    expect(readObject(env, 'apps/v1', 'Deployment', 'web-canary')?.spec.replicas).toBe(0);

    // With 2 stable replicas the first step's canary replica is an effective 50%, where it fails.
    // The rollback library restored revision 1's template as revision 3 and recorded why on the Deployment.
    const stable = readObject(env, 'apps/v1', 'Deployment', 'web');
    expect(stable?.spec.template.spec.containers[0].image).toBe('registry.example/web:v1');
    expect(stable?.spec.replicas).toBe(2);
    const annotations = stable?.metadata.annotations ?? {};
    expect(annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(annotations['atom-actions.io/rolled-back-from']).toBe('2');
    expect(annotations['atom-actions.io/rolled-back-to']).toBe('1');
    expect(annotations['atom-actions.io/rollback-reason']).toMatch(/^canary aborted: Failed at 50% .*error-rate 100% is above the maximum 1%/);
    expect(annotations['atom-actions.io/rolled-back-at']).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    // The simulator's deployment controller moved revision 1's ReplicaSet to revision 3 and scaled it up.
    const allReplicaSets = env.sim.store.list(findResourceByKind('apps/v1', 'ReplicaSet')!, env.namespace);
    const replicaSets = allReplicaSets.filter((replicaSet) => replicaSet.metadata.ownerReferences?.[0]?.name === 'web');
    const revisions = Object.fromEntries(replicaSets.map((replicaSet) => [replicaSet.spec.template.spec.containers[0].image, replicaSet.metadata.annotations?.['deployment.kubernetes.io/revision']]));
    expect(revisions).toEqual({ 'registry.example/web:v1': '3', 'registry.example/web:v1.1': '2' });
    const restored = replicaSets.find((replicaSet) => replicaSet.spec.template.spec.containers[0].image === 'registry.example/web:v1');
    expect(restored?.spec.replicas).toBe(2);
  }, testTimeoutMs);
});
