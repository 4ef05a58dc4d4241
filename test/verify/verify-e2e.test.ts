import * as fs from 'node:fs';

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import { startDemoService, type DemoService } from '@atom-actions/sandbox/demo/service';
import { kinds } from '@atom-actions/sandbox/kube/resources';
import { startKubeSimulator, type KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import { startLoad } from '@atom-actions/sandbox/load/load';
import { startPrometheus, type SandboxPrometheus } from '@atom-actions/sandbox/prometheus/prometheus';
import { startReceivers, type Receivers } from '@atom-actions/sandbox/receivers/receivers';
import { runAction, type StepResult } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';

/** Sends a short, bounded burst of traffic so Prometheus has request rates to judge. */
async function sendTraffic(service: DemoService): Promise<void> {
  const load = startLoad({ url: `${service.url}/health/live`, ratePerSecond: 40, durationMs: 2500 });
  await load.done;
}

/**
 * Sends traffic between scrapes: a counter series appears at its first
 * increment, so rate() counts the traffic only when Prometheus scraped the
 * service before it, and again after it.
 */
async function trafficBetweenScrapes(prometheus: SandboxPrometheus, service: DemoService): Promise<void> {
  await prometheus.waitForTargets(20_000);
  await sendTraffic(service);
  await new Promise((resolve) => setTimeout(resolve, 2.5 * prometheus.scrapeIntervalMs));
}

function commonInputs(sim: KubeSimulator, service: DemoService, prometheus: SandboxPrometheus): Record<string, string> {
  return {
    'base-url': service.url,
    environment: 'staging',
    'smoke-preset': 'atom',
    'smoke-username': 'demo',
    'smoke-password': 'demo-password',
    // Generous latency budgets: these tests judge errors and pods, and a loaded CI machine is slow.
    'smoke-p95-budget': '10s',
    'max-p95-latency': '10s',
    'prometheus-url': prometheus.url,
    'metrics-window': '1m',
    deployment: 'atom',
    namespace: 'default',
    kubeconfig: sim.kubeconfig,
  };
}

describe('verify on a healthy environment', () => {
  let sim: KubeSimulator;
  let service: DemoService;
  let prometheus: SandboxPrometheus;
  let result: StepResult;

  beforeAll(async () => {
    sim = await startKubeSimulator({ timeScale: 20 });
    sim.seed.deployment({ name: 'atom', replicas: 2, revisions: [{ image: 'atom:v1', podAnnotations: { 'sim.atom-actions.io/log': 'started\nserving requests' } }] });
    await sim.settle();
    service = await startDemoService({ version: 'v1' });
    prometheus = await startPrometheus({ targets: [{ url: service.url }] });
    await trafficBetweenScrapes(prometheus, service);

    result = await runAction({ actionDirectory: actionDirectory('verify'), inputs: commonInputs(sim, service, prometheus), timeoutMs: 90_000 });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([sim?.stop(), service?.stop(), prometheus?.stop()]);
  });

  test('step passes', () => {
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['passed']).toBe('true');
    expect(result.outputs['failed-checks']).toBe('');
    expect(result.outputs['rolled-back']).toBe('false');
  });

  test('report lists every item', () => {
    const report = JSON.parse(fs.readFileSync(result.outputs['report'] ?? '', 'utf8'));
    const lines = report.lines.map((line: { item: string; name: string; result: string }) => `${line.item}/${line.name}/${line.result}`);
    expect(lines).toEqual([
      'health//health/live/pass',
      'health//health/ready/pass',
      'health//health/db/pass',
      'smoke/checks passed/pass',
      'smoke/P95 latency/pass',
      'metrics/error rate/pass',
      'metrics/P95 latency/pass',
      // Nothing pushes deployment_total here, so the success rate has no data and warns.
      'metrics/deployment success rate/warn',
      'pods/ready pods/pass',
      'pods/CrashLoopBackOff/pass',
      'pods/restarts in window/pass',
      'logs/error lines/pass',
    ]);
  });

  test('measured values reach the report', () => {
    const report = JSON.parse(fs.readFileSync(result.outputs['report'] ?? '', 'utf8'));
    const errorRate = report.lines.find((line: { name: string }) => line.name === 'error rate');
    expect(errorRate.value).toBe('0%');
    expect(errorRate.threshold).toBe('≤ 1%');
    const ready = report.lines.find((line: { name: string }) => line.name === 'ready pods');
    expect(ready.value).toBe('2/2 ready');
  });

  test('summary shows the checklist', () => {
    expect(result.summary).toContain('Post-deployment verification passed');
    expect(result.summary).toContain('| 3. Metrics | error rate | ✅ pass | 0% | ≤ 1% |');
    expect(result.summary).toContain('| 4. Pods | ready pods | ✅ pass | 2/2 ready | 2/2 |');
  });

  test('password never leaves the masks', () => {
    expect(result.masks).toContain('demo-password');
    expect(result.stdout.replace(/::add-mask::.*\n/g, '')).not.toContain('demo-password');
    expect(result.summary).not.toContain('demo-password');
  });
});

describe('verify on a failing environment', () => {
  let sim: KubeSimulator;
  let service: DemoService;
  let prometheus: SandboxPrometheus;
  let receivers: Receivers;
  let result: StepResult;

  beforeAll(async () => {
    sim = await startKubeSimulator({ timeScale: 20 });
    sim.seed.deployment({
      name: 'atom',
      replicas: 2,
      revisions: [
        { image: 'atom:v1' },
        { image: 'atom:v2', podAnnotations: { 'sim.atom-actions.io/behavior': 'crash-loop', 'sim.atom-actions.io/log': 'ERROR database connection failed' } },
      ],
    });
    // Let the crash loop start: the simulator restarts v2's containers at 20x speed.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    service = await startDemoService({ version: 'v2', faults: { routes: { '/health/live': { errorRate: 0.5 } } } });
    prometheus = await startPrometheus({ targets: [{ url: service.url }] });
    receivers = await startReceivers();
    await trafficBetweenScrapes(prometheus, service);

    result = await runAction({
      actionDirectory: actionDirectory('verify'),
      inputs: {
        ...commonInputs(sim, service, prometheus),
        'health-checks': 'false',
        'smoke-retries': '0',
        'on-failure': 'rollback-and-notify',
        'rollback-timeout': '60s',
        'notify-slack-webhook-url': receivers.urls.slack,
        'notify-github-token': 'ghs_verify_e2e_token',
        'notify-github-api-url': receivers.urls.github,
        'notify-allow-any-host': 'true',
        'notify-version': 'v2',
      },
      timeoutMs: 120_000,
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([sim?.stop(), service?.stop(), prometheus?.stop(), receivers?.stop()]);
  });

  test('step fails naming the checks', () => {
    expect(result.exitCode).toBe(1);
    expect(result.outputs['passed']).toBe('false');
    const failed = (result.outputs['failed-checks'] ?? '').split(',');
    expect(failed).toContain('metrics: error rate');
    // A crash-looping container runs for 1 simulated second of each back-off cycle, during which the point-in-time
    // CrashLoopBackOff check passes, so the test asserts the pod checks that fail in every phase.
    expect(failed).toContain('pods: ready pods');
    expect(failed).toContain('pods: restarts in window');
    expect(failed).toContain('logs: error lines');
    expect(result.errors[0]).toContain('Post-deployment verification failed');
  });

  test('deployment rolled back to v1', () => {
    expect(result.outputs['rolled-back']).toBe('true');
    const deployment = sim.store.get(kinds.deployment, 'default', 'atom') as { spec: { template: { spec: { containers: { image: string }[] } } } } | undefined;
    expect(deployment?.spec.template.spec.containers[0]?.image).toBe('atom:v1');
  });

  test('log excerpts in summary', () => {
    expect(result.summary).toContain('ERROR database connection failed');
    expect(result.summary).toContain('Rollback (rolled-back): ');
  });

  test('slack and github notified once', () => {
    expect(result.log.join('\n')).toContain('Notify:');
    expect(receivers.received.slack).toHaveLength(1);
    const issues = receivers.received.github.filter((request) => request.method === 'POST' && /\/issues$/.test(request.url));
    expect(issues).toHaveLength(1);
  });

  test('notification tokens stay masked', () => {
    expect(result.masks).toContain('ghs_verify_e2e_token');
    expect(result.stdout.replace(/::add-mask::.*\n/g, '')).not.toContain('ghs_verify_e2e_token');
    expect(result.stdout.replace(/::add-mask::.*\n/g, '')).not.toContain('receiver0token');
  });
});
