import { describe, expect, test } from '@jest/globals';

import { freePort } from '@atom-actions/sandbox/prometheus/process';
import { runAction } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { baseInputs, readObject, useCanaryFixture, type CanaryEnvironment } from './helpers/environment.ts';

const action = actionDirectory('canary-promote');
// Each test starts a simulator, two services and a router, and runs the action for up to a minute on a loaded machine.
const testTimeoutMs = 180_000;
const fixture = useCanaryFixture();

/** Inputs of a one-step canary on the nginx router. */
function oneStep(current: CanaryEnvironment, prometheusUrl: string): Record<string, string> {
  return { ...baseInputs(current, prometheusUrl), 'traffic-router': 'nginx', steps: '20,100', pause: '6s' };
}

describe('canary-promote judgement', () => {
  test('missing metric is inconclusive', async () => {
    const env = await fixture.start({ namespace: 'no-metric', router: 'nginx' });
    const query = 'histogram_quantile(0.95, sum by (le) (rate(no_such_metric_bucket{version="{{ version }}"}[{{ interval }}])))';
    const result = await runAction({ actionDirectory: action, inputs: { ...oneStep(env, fixture.prometheus().url), 'latency-query': query }, timeoutMs: 120_000 });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['decision']).toBe('inconclusive');
    expect(result.outputs['reason']).toContain('no_such_metric_bucket{version="v2"}[6s]');
    expect(result.outputs['reason']).toContain('returned no data');
    const canaryIngress = readObject(env, 'networking.k8s.io/v1', 'Ingress', 'web-canary');
    expect(canaryIngress?.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight']).toBe('0');
  }, testTimeoutMs);

  test('missing metric fails with on-no-data fail', async () => {
    const env = await fixture.start({ namespace: 'no-metric-fail', router: 'nginx' });
    const inputs = { ...oneStep(env, fixture.prometheus().url), 'on-no-data': 'fail', metrics: '- name: queue-depth\n  query: sum(no_such_queue_depth{version="{{ version }}"})\n  threshold: 100\n' };
    const result = await runAction({ actionDirectory: action, inputs, timeoutMs: 120_000 });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['decision']).toBe('aborted');
    expect(result.outputs['reason']).toContain('sum(no_such_queue_depth{version="v2"})');
  }, testTimeoutMs);

  test('canary without traffic is not promoted', async () => {
    const env = await fixture.start({ namespace: 'no-traffic', router: 'nginx' });
    // Without the router no request reaches either version.
    await env.router.stop();
    const result = await runAction({ actionDirectory: action, inputs: { ...oneStep(env, fixture.prometheus().url), 'on-no-data': 'pass', 'min-requests': '5' }, timeoutMs: 120_000 });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['decision']).not.toBe('promoted');
    expect(result.outputs['reason']).toContain('fewer than min-requests 5');
  }, testTimeoutMs);

  test('unreachable Prometheus aborts the canary', async () => {
    const env = await fixture.start({ namespace: 'prometheus-down', router: 'nginx' });
    const closed = `http://127.0.0.1:${await freePort()}`;
    const result = await runAction({ actionDirectory: action, inputs: { ...oneStep(env, closed), interval: '1s', 'consecutive-error-limit': '3' }, timeoutMs: 120_000 });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['decision']).toBe('aborted');
    expect(result.outputs['reason']).toContain('3 measurements in a row failed');
    expect(result.outputs['reason']).toContain('connection-refused');
    expect(result.errors.join('\n')).toContain('Canary aborted');
  }, testTimeoutMs);
});
