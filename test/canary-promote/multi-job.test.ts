import { describe, expect, test } from '@jest/globals';

import { runAction } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { baseInputs, readObject, useCanaryFixture, type CanaryEnvironment } from './helpers/environment.ts';

const action = actionDirectory('canary-promote');
// Each test starts a simulator, two services and a router, and runs the action for up to a minute on a loaded machine.
const testTimeoutMs = 180_000;
const fixture = useCanaryFixture();

/**
 * Runs one job of the flow, as a separate process on a fresh runner workspace.
 * The shared 3 s interval stays: with 2 s, the first measurement on a busy
 * machine could come before Prometheus had scraped any canary request, which
 * ends the step as inconclusive.
 */
function job(current: CanaryEnvironment, step: string, extra: Record<string, string> = {}): ReturnType<typeof runAction> {
  const inputs = { ...baseInputs(current, fixture.prometheus().url), 'traffic-router': 'nginx', action: step, ...extra };
  return runAction({ actionDirectory: action, inputs, timeoutMs: 120_000 });
}

function canaryWeight(current: CanaryEnvironment): string | undefined {
  return readObject(current, 'networking.k8s.io/v1', 'Ingress', 'web-canary')?.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'];
}

function rolloutState(current: CanaryEnvironment): { phase?: string; stepIndex?: number } {
  return JSON.parse(readObject(current, 'apps/v1', 'Deployment', 'web-canary')?.metadata.annotations?.['canary.atom-actions.io/state'] ?? '{}');
}

describe('canary-promote across jobs', () => {
  test('start, advance and promote in separate jobs', async () => {
    const env = await fixture.start({ namespace: 'jobs', router: 'nginx' });

    const start = await job(env, 'start');
    expect(start.errors).toEqual([]);
    expect(start.outputs['decision']).toBe('paused');
    expect(start.outputs['weight']).toBe('10');
    expect(start.post?.stdout ?? '').not.toContain('restoring stable');
    expect(canaryWeight(env)).toBe('10');
    expect(rolloutState(env)).toMatchObject({ phase: 'paused', stepIndex: 0 });

    const advance = await job(env, 'advance');
    expect(advance.outputs['decision']).toBe('paused');
    expect(advance.outputs['weight']).toBe('50');
    expect(canaryWeight(env)).toBe('50');

    const promote = await job(env, 'promote', { 'prometheus-url': '' });
    expect(promote.errors).toEqual([]);
    expect(promote.outputs['decision']).toBe('promoted');
    expect(readObject(env, 'networking.k8s.io/v1', 'Ingress', 'web-canary')).toBeUndefined();
    expect(readObject(env, 'v1', 'Service', 'web-canary')).toBeUndefined();
    expect(readObject(env, 'apps/v1', 'Deployment', 'web')?.spec.template.spec.containers[0].image).toBe('registry.example/web:v2');
  }, testTimeoutMs);

  test('abort after start restores stable', async () => {
    const env = await fixture.start({ namespace: 'abort', router: 'nginx' });
    const start = await job(env, 'start');
    expect(start.outputs['decision']).toBe('paused');

    const abort = await job(env, 'abort', { 'prometheus-url': '' });
    expect(abort.exitCode).toBe(0);
    expect(abort.outputs['decision']).toBe('aborted');
    expect(canaryWeight(env)).toBe('0');
    expect(readObject(env, 'apps/v1', 'Deployment', 'web-canary')?.spec.replicas).toBe(0);
    expect(rolloutState(env).phase).toBe('aborted');

    const advance = await job(env, 'advance');
    expect(advance.exitCode).toBe(1);
    expect(advance.errors.join('\n')).toContain('its rollout is aborted');
  }, testTimeoutMs);

  test('abort without a canary succeeds', async () => {
    const env = await fixture.start({ namespace: 'abort-nothing', router: 'nginx' });
    const abort = await job(env, 'abort', { 'prometheus-url': '' });

    expect(abort.exitCode).toBe(0);
    expect(abort.outputs['decision']).toBe('aborted');
    expect(readObject(env, 'apps/v1', 'Deployment', 'web')?.spec.replicas).toBe(2);
  }, testTimeoutMs);
});
