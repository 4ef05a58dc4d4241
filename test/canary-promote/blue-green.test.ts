import { describe, expect, test } from '@jest/globals';

import { demoCredentials } from '@atom-actions/sandbox/demo/service';
import { runAction, startAction } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { baseInputs, readObject, useCanaryFixture, waitFor, type CanaryEnvironment } from './helpers/environment.ts';

const action = actionDirectory('canary-promote');
// Each test starts a simulator, two services and a router, and runs the action for up to a minute on a loaded machine.
const testTimeoutMs = 180_000;
const fixture = useCanaryFixture();

/** The selector of green's pods, which the Service gets at the switch. */
const greenSelector = { app: 'web', 'canary.atom-actions.io/role': 'canary' };

/** Inputs of a blue-green run whose smoke test runs the atom preset against green, with one fast retry. */
function blueGreenInputs(env: CanaryEnvironment): Record<string, string> {
  return {
    ...baseInputs(env, fixture.prometheus().url),
    strategy: 'blue-green',
    'smoke-base-url': env.canary.url,
    'smoke-preset': 'atom',
    'smoke-username': demoCredentials.username,
    'smoke-password': demoCredentials.password,
    'smoke-retries': '1',
    'smoke-retry-delay': '100ms',
  };
}

function serviceSelector(env: CanaryEnvironment): Record<string, string> | undefined {
  return readObject(env, 'v1', 'Service', 'web')?.spec.selector;
}

function greenState(env: CanaryEnvironment): { phase?: string; weight?: number } {
  return JSON.parse(readObject(env, 'apps/v1', 'Deployment', 'web-green')?.metadata.annotations?.['canary.atom-actions.io/state'] ?? '{}');
}

describe('canary-promote blue-green', () => {
  test('green failing smoke test is never switched to', async () => {
    const env = await fixture.start({ namespace: 'smoke-fail', router: 'blue-green' });
    env.canary.setFaults({ routes: { '/api/skills': { status: 500 } } });
    const result = await runAction({ actionDirectory: action, inputs: blueGreenInputs(env), timeoutMs: 120_000 });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['decision']).toBe('aborted');
    expect(result.outputs['reason']).toContain('Smoke test of green failed: 6 of 7 checks passed, failed: "skills list"');
    expect(result.outputs['metrics']).toBe('[]');
    expect(result.summary).toContain('Smoke test failed: 1 of 7 checks did not pass');
    expect(result.log.join('\n')).not.toContain(demoCredentials.password);

    // The Service kept blue's pod labels, the router never sent a request to green, and green was scaled down.
    expect(serviceSelector(env)).toEqual({ app: 'web', version: 'v1' });
    await env.router.refresh();
    expect(env.router.weights()).toEqual({ web: 2 });
    expect(env.router.counts()['web-green'] ?? 0).toBe(0);
    expect(env.canary.requests().some((request) => request.path === '/api/skills' && request.status === 500)).toBe(true);
    expect(readObject(env, 'apps/v1', 'Deployment', 'web-green')?.spec.replicas).toBe(0);
    expect(greenState(env).phase).toBe('aborted');
  }, testTimeoutMs);

  test('green passing smoke test is promoted', async () => {
    const env = await fixture.start({ namespace: 'smoke-pass', router: 'blue-green' });
    const result = await runAction({ actionDirectory: action, inputs: blueGreenInputs(env), timeoutMs: 120_000 });

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['decision']).toBe('promoted');
    expect(result.log.join('\n')).toContain('Smoke test of green passed: 7 of 7 checks.');
    expect(result.summary).toContain('Smoke test passed: 7 of 7 checks');
    expect(env.canary.requests().some((request) => request.path === '/api/skills' && request.status === 200)).toBe(true);

    expect(serviceSelector(env)).toEqual(greenSelector);
    await env.router.refresh();
    expect(env.router.weights()).toEqual({ 'web-green': 2 });
    expect(env.router.counts()['web-green']).toBeGreaterThan(0);
    const metrics = JSON.parse(result.outputs['metrics'] ?? '[]') as { weight: number; verdict: string }[];
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics.every((record) => record.weight === 100 && record.verdict === 'pass')).toBe(true);
  }, testTimeoutMs);

  test('smoke inputs rejected with canary strategy', async () => {
    const inputs = { deployment: 'web', 'prometheus-url': 'http://127.0.0.1:9', 'smoke-base-url': 'http://127.0.0.1:9', 'smoke-preset': 'atom' };
    const result = await runAction({ actionDirectory: action, inputs, timeoutMs: 30_000 });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining('Input "smoke-base-url" is set, but the smoke test runs only with strategy blue-green')]);
  }, testTimeoutMs);

  test('cancel while observing green restores blue', async () => {
    const env = await fixture.start({ namespace: 'bg-cancel', router: 'blue-green' });
    const inputs = { ...baseInputs(env, fixture.prometheus().url), strategy: 'blue-green', pause: '60s' };
    const step = startAction({ actionDirectory: action, inputs, timeoutMs: 120_000 });

    await waitFor(() => JSON.stringify(serviceSelector(env)) === JSON.stringify(greenSelector), 40_000);
    await waitFor(() => greenState(env).weight === 100, 10_000);
    step.cancel();
    const result = await step.result;

    expect(result.exitCode).toBe(1);
    expect(result.outputs['decision']).toBe('aborted');
    expect(result.state['restore']).toBe('true');
    expect(result.post?.exitCode).toBe(0);
    expect(result.post?.log.join('\n')).toContain('Switched Service "web" in namespace "bg-cancel" to blue');

    // The post step selected blue's pods only, scaled green down, then put back the selector the Service had before the run.
    const postLog = result.post?.log.join('\n') ?? '';
    expect(postLog.indexOf('to blue only')).toBeGreaterThan(-1);
    expect(postLog.indexOf('to blue only')).toBeLessThan(postLog.indexOf('to blue: selector {"app":"web"}'));
    expect(serviceSelector(env)).toEqual({ app: 'web' });
    await env.router.refresh();
    expect(env.router.weights()['web']).toBe(2);
    expect(env.router.weights()['web-green'] ?? 0).toBe(0);
    expect(readObject(env, 'apps/v1', 'Deployment', 'web-green')?.spec.replicas).toBe(0);
    expect(readObject(env, 'apps/v1', 'Deployment', 'web')?.spec.replicas).toBe(2);
    expect(greenState(env).phase).toBe('aborted');
  }, testTimeoutMs);
});
