import { describe, expect, test } from '@jest/globals';

import { runAction, startAction } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { baseInputs, readObject, useCanaryFixture, waitFor } from './helpers/environment.ts';

const action = actionDirectory('canary-promote');
// Each test starts a simulator, two services and a router, and runs the action for up to a minute on a loaded machine.
const testTimeoutMs = 180_000;
const fixture = useCanaryFixture();

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
});
