// Detection latency of canary-promote: the time from the canary starting to
// fail (every response a 500) to the action restoring stable routing, against
// the analysis interval plus Prometheus's scrape interval. Everything runs on
// 127.0.0.1: the Kubernetes simulator, two demo services, a real Prometheus,
// the sandbox router with bounded load, and the action's bundle in the runner harness.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startDemoService } from '@atom-actions/sandbox/demo/service';
import { findResourceByKind } from '@atom-actions/sandbox/kube/resources';
import { startKubeSimulator, type KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import { startLoad } from '@atom-actions/sandbox/load/load';
import { startPrometheus, type SandboxPrometheus } from '@atom-actions/sandbox/prometheus/prometheus';
import { startRouter } from '@atom-actions/sandbox/router/router';
import { startAction } from '@atom-actions/sandbox/runner/runner';

import { machineDescription, median } from './measure.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const actionDirectory = path.join(root, 'actions', 'canary-promote');
const intervalsMs = [1000, 2000, 4000];
const repetitions = 3;
const namespace = 'bench';

/** Measures detection latency for each analysis interval and returns the Markdown section. */
export default async function benchmarkDetection(): Promise<string> {
  const prometheus = await startPrometheus({ scrapeIntervalMs: 1000 });
  const rows: string[] = [];
  try {
    for (const intervalMs of intervalsMs) {
      const latencies: number[] = [];
      for (let run = 0; run < repetitions; run++) latencies.push(await measureOnce(prometheus, intervalMs));
      const budget = intervalMs + prometheus.scrapeIntervalMs;
      const typical = median(latencies);
      rows.push(`| ${intervalMs / 1000} s | ${prometheus.scrapeIntervalMs / 1000} s | ${latencies.map((value) => (value / 1000).toFixed(2)).join(', ')} | ${(typical / 1000).toFixed(2)} s | ${(budget / 1000).toFixed(1)} s | ${typical <= budget ? 'met' : 'missed'} |`);
    }
  } finally {
    await prometheus.stop();
  }

  return [
    '## canary-promote: detection latency',
    '',
    'Time from the canary starting to fail (the demo service answers every request with 500) to the',
    'action setting the canary backendRef weight of the HTTPRoute back to 0, read from the Kubernetes',
    "simulator's store every 10 ms. The canary carries 50% of 40 requests/s through the sandbox router.",
    'Prometheus 2.42 scrapes both versions every second, the error rate uses a 5 s rate window, the',
    'threshold is the staging 1%, and the failure starts after two passing measurements. The target is',
    'at most one analysis interval plus one scrape interval. Script: `bench/canary-promote.bench.ts`.',
    '',
    `Machine: ${machineDescription()}. ${repetitions} runs per interval.`,
    '',
    '| analysis interval | scrape interval | latencies (s) | median | target | result |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

async function measureOnce(prometheus: SandboxPrometheus, intervalMs: number): Promise<number> {
  const sim = await startKubeSimulator({ timeScale: 10 });
  seed(sim);
  await sim.settle();
  const stable = await startDemoService({ version: 'v1' });
  const canary = await startDemoService({ version: 'v2' });
  prometheus.setTargets([
    { url: stable.url, labels: { namespace } },
    { url: canary.url, labels: { namespace } },
  ]);
  await prometheus.waitForTargets(20_000);
  const router = await startRouter({ kubeconfig: sim.kubeconfig, source: { mode: 'gateway-api', namespace, name: 'web' }, backends: { web: stable.url, 'web-canary': canary.url } });
  const load = startLoad({ url: `${router.url}/health/live`, ratePerSecond: 40, durationMs: 120_000 });

  const step = startAction({
    actionDirectory,
    inputs: {
      deployment: 'web',
      namespace,
      kubeconfig: sim.kubeconfig,
      'prometheus-url': prometheus.url,
      images: 'web=registry.example/web:v2',
      'canary-version': 'v2',
      'traffic-router': 'gateway-api',
      steps: '50,100',
      pause: '90s',
      interval: `${intervalMs}ms`,
      'query-interval': '5s',
      'min-requests': '1',
      // The first measurements after the weight change may find no canary series yet; tolerate that gap.
      'on-no-data': 'pass',
      environment: 'staging',
    },
    timeoutMs: 150_000,
  });

  try {
    const ended = step.result.then((result) => {
      throw new Error(`the action ended before the measurement: exit ${result.exitCode}, ${result.errors.join('; ')}`);
    });
    await Promise.race([waitFor(() => canaryWeight(sim) === 50, 60_000, 50), ended]);
    await new Promise((resolve) => setTimeout(resolve, 2 * intervalMs + 500));
    if (canaryWeight(sim) !== 50) throw new Error(`the healthy canary lost its traffic before the failure started: ${(await step.result).outputs['reason']}`);
    const failedAt = performance.now();
    canary.setFaults({ routes: { '*': { errorRate: 1 } } });
    await Promise.race([waitFor(() => canaryWeight(sim) === 0, 60_000, 10), ended]);
    return performance.now() - failedAt;
  } finally {
    step.cancel();
    const result = await step.result.catch(() => undefined);
    if (result) fs.rmSync(result.runnerTemp, { recursive: true, force: true });
    await load.stop();
    await router.stop();
    await stable.stop();
    await canary.stop();
    await sim.stop();
  }
}

function canaryWeight(sim: KubeSimulator): number | undefined {
  const route = sim.store.get(findResourceByKind('gateway.networking.k8s.io/v1', 'HTTPRoute')!, namespace, 'web');
  return route?.spec.rules[0].backendRefs.find((reference: { name: string }) => reference.name === 'web-canary')?.weight;
}

async function waitFor(condition: () => boolean, timeoutMs: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function seed(sim: KubeSimulator): void {
  const labels = { app: 'web' };
  sim.seed.namespace(namespace);
  sim.seed.object({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace, labels },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels: { ...labels, version: 'v1' } }, spec: { containers: [{ name: 'web', image: 'registry.example/web:v1' }] } } },
  });
  sim.seed.object({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace }, spec: { selector: labels, ports: [{ port: 80 }] } });
  sim.seed.object({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace },
    spec: { parentRefs: [{ name: 'gateway' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
  });
}
