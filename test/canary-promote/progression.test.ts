import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';

import { startPrometheus, type SandboxPrometheus } from '@atom-actions/sandbox/prometheus/prometheus';
import { startPushgateway, type SandboxPushgateway } from '@atom-actions/sandbox/prometheus/pushgateway';
import { runAction } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { baseInputs, readObject, startEnvironment, type CanaryEnvironment } from './helpers/environment.ts';

const action = actionDirectory('canary-promote');
// Each test starts a simulator, two services and a router, and runs the action for up to a minute on a loaded machine.
const testTimeoutMs = 180_000;
// The service's error rate over both versions: a 5% canary adds 0.5% at 10% of traffic and 2.5% at 50%.
const serviceErrorRate =
  '(sum(rate(http_requests_total{namespace="{{ namespace }}",status=~"5.."}[{{ interval }}])) or vector(0)) / sum(rate(http_requests_total{namespace="{{ namespace }}"}[{{ interval }}]))';

let prometheus: SandboxPrometheus;
let pushgateway: SandboxPushgateway;
let env: CanaryEnvironment | undefined;

beforeAll(async () => {
  prometheus = await startPrometheus();
  pushgateway = await startPushgateway();
});

afterAll(async () => {
  await pushgateway?.stop();
  await prometheus?.stop();
});

afterEach(async () => {
  await env?.stop();
  env = undefined;
});

describe('canary-promote progression', () => {
  test('healthy canary is promoted', async () => {
    env = await startEnvironment(prometheus, { namespace: 'healthy', router: 'gateway-api' }, () => []);
    const result = await runAction({
      actionDirectory: action,
      inputs: { ...baseInputs(env, prometheus.url), 'traffic-router': 'gateway-api', 'pushgateway-url': pushgateway.url },
      timeoutMs: 120_000,
    });

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['decision']).toBe('promoted');
    const metrics = JSON.parse(result.outputs['metrics'] ?? '[]') as { weight: number; metric: string; verdict: string }[];
    expect(new Set(metrics.map((record) => record.weight))).toEqual(new Set([10, 50, 100]));
    expect(metrics.every((record) => record.verdict === 'pass')).toBe(true);
    expect(result.summary).toContain('xychart-beta');
    expect(result.summary).toContain('### Step 2: 50% of traffic');

    const stable = readObject(env, 'apps/v1', 'Deployment', 'web');
    expect(stable?.spec.template.spec.containers[0].image).toBe('registry.example/web:v2');
    expect(stable?.spec.template.metadata.labels.version).toBe('v2');
    expect(readObject(env, 'apps/v1', 'Deployment', 'web-canary')).toBeUndefined();
    const route = readObject(env, 'gateway.networking.k8s.io/v1', 'HTTPRoute', 'web');
    expect(route?.spec.rules[0].backendRefs).toEqual([{ name: 'web', port: 80, weight: 100 }]);
    expect(result.post?.exitCode).toBe(0);
    expect(await pushgateway.metrics()).toMatch(/deployment_total\{[^}]*status="promoted"[^}]*\} 1/);
  }, testTimeoutMs);

  test('canary with 5% errors is aborted at 50%', async () => {
    env = await startEnvironment(prometheus, { namespace: 'errors', router: 'smi' }, () => []);
    env.canary.setFaults({ routes: { '*': { errorRate: 0.05 } } });
    const result = await runAction({
      actionDirectory: action,
      inputs: { ...baseInputs(env, prometheus.url), 'traffic-router': 'smi', 'error-rate-query': serviceErrorRate, 'pushgateway-url': pushgateway.url },
      timeoutMs: 120_000,
    });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['decision']).toBe('aborted');
    expect(result.outputs['weight']).toBe('0');
    expect(result.outputs['reason']).toContain('Failed at 50%');
    const errorRates = (JSON.parse(result.outputs['metrics'] ?? '[]') as { weight: number; metric: string; verdict: string }[]).filter((record) => record.metric === 'error-rate');
    expect(errorRates.filter((record) => record.weight === 10).every((record) => record.verdict === 'pass')).toBe(true);
    expect(errorRates.some((record) => record.weight === 50 && record.verdict === 'fail')).toBe(true);
    expect(errorRates.some((record) => record.weight === 100)).toBe(false);

    const split = readObject(env, 'split.smi-spec.io/v1alpha3', 'TrafficSplit', 'web');
    expect(split?.spec.backends).toEqual([
      { service: 'web', weight: 100 },
      { service: 'web-canary', weight: 0 },
    ]);
    expect(readObject(env, 'apps/v1', 'Deployment', 'web-canary')?.spec.replicas).toBe(0);
    expect(readObject(env, 'apps/v1', 'Deployment', 'web')?.spec.template.metadata.labels.version).toBe('v1');
    expect(await pushgateway.metrics()).toMatch(/deployment_rollback_total\{[^}]*deployment="web"[^}]*namespace="errors"[^}]*\} 1/);
  }, testTimeoutMs);
});
