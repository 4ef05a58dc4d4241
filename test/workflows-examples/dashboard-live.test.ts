import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';

import { startDemoService, type DemoService } from '@atom-actions/sandbox/demo/service';
import { startPrometheus, type SandboxPrometheus } from '@atom-actions/sandbox/prometheus/prometheus';

import { listMetricNames, resolveGrafanaVariables } from './promql-metrics.ts';
import { examplesDirectory } from './workflow-files.ts';

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

interface QuerySample {
  metric: Record<string, string>;
  value: [number, string];
}

const recordingRules = (parse(fs.readFileSync(path.join(examplesDirectory, 'prometheus', 'alerts.yml'), 'utf8')) as { groups: { rules: { record?: string; expr: string }[] }[] }).groups
  .flatMap((group) => group.rules)
  .filter((rule) => rule.record?.startsWith('version:http_'));

const dashboard = JSON.parse(fs.readFileSync(path.join(examplesDirectory, 'grafana', 'deployment-overview.json'), 'utf8')) as { panels: Panel[] };

/** Panels whose queries read only metrics that the demo service exports, so they can run against it. */
const servicePanels = dashboard.panels.filter(
  (panel) => panel.type !== 'row' && (panel.targets ?? []).every((target) => listMetricNames(target.expr).every((name) => name.startsWith('http_'))),
);

let stable: DemoService;
let canary: DemoService;
let prometheus: SandboxPrometheus;

/** Rate window of the queries: 30 s covers many of the sandbox Prometheus's 1 s scrapes. */
const rateInterval = '30s';

/** Runs an instant query against the sandbox Prometheus and returns its samples. */
async function query(expression: string): Promise<QuerySample[]> {
  const url = `${prometheus.url}/api/v1/query?query=${encodeURIComponent(expression)}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as { status: string; error?: string; data?: { result: QuerySample[] } };
  if (body.status !== 'success') throw new Error(`query failed: ${body.error ?? response.status}: ${expression}`);
  return body.data?.result ?? [];
}

/** Polls a query until it returns at least `count` samples, for at most 20 s. */
async function queryUntil(expression: string, count: number): Promise<QuerySample[]> {
  const deadline = Date.now() + 20_000;
  let samples = await query(expression);
  while (samples.length < count && Date.now() < deadline) {
    await delay(500);
    samples = await query(expression);
  }
  return samples;
}

/** Sends `count` requests to a path of the service and waits for each response. */
async function sendRequests(service: DemoService, requestPath: string, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    const response = await fetch(`${service.url}${requestPath}`, { signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
  }
}

beforeAll(async () => {
  stable = await startDemoService({ version: 'v1' });
  canary = await startDemoService({ version: 'v2', faults: { routes: { '/health/live': { status: 500 } } } });
  prometheus = await startPrometheus({ targets: [{ url: stable.url }, { url: canary.url }] });
  await prometheus.waitForTargets();

  // Traffic across several scrapes, so every rate() has at least two samples.
  for (let round = 0; round < 4; round++) {
    await sendRequests(stable, '/health/live', 5);
    await sendRequests(canary, '/health/live', 5);
    await delay(prometheus.scrapeIntervalMs);
  }
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await canary?.stop();
  await stable?.stop();
});

describe('dashboard on demo service', () => {
  test('service panels exist', () => {
    expect(servicePanels.map((panel) => panel.title)).toEqual(['Error rate', 'Request rate', 'Latency P95', 'Responses by status']);
  });

  test('error rate separates versions', async () => {
    const panel = servicePanels.find((candidate) => candidate.title === 'Error rate');
    const samples = await queryUntil(resolveGrafanaVariables(panel?.targets?.[0]?.expr ?? '', rateInterval), 2);
    const byVersion = Object.fromEntries(samples.map((sample) => [sample.metric['version'], Number(sample.value[1])]));

    expect(byVersion).toEqual({ v1: 0, v2: 1 });
  });

  test('every service panel returns data', async () => {
    for (const panel of servicePanels) {
      for (const target of panel.targets ?? []) {
        const samples = await queryUntil(resolveGrafanaVariables(target.expr, rateInterval), 1);
        expect({ panel: panel.title, samples: samples.length > 0 }).toEqual({ panel: panel.title, samples: true });

        for (const sample of samples) {
          expect({ panel: panel.title, value: Number.isFinite(Number(sample.value[1])) }).toEqual({ panel: panel.title, value: true });
        }
      }
    }
  });

  test('alert recording rules read demo metrics', async () => {
    expect(recordingRules.map((rule) => rule.record)).toEqual(['version:http_request_error_ratio:rate5m', 'version:http_request_duration_seconds:p95_5m']);

    for (const rule of recordingRules) {
      const samples = await queryUntil(rule.expr.replaceAll('[5m]', `[${rateInterval}]`), 2);
      const versions = samples.map((sample) => sample.metric['version']).sort();
      expect({ rule: rule.record, versions }).toEqual({ rule: rule.record, versions: ['v1', 'v2'] });
    }

    const [errorRatio] = recordingRules;
    const samples = await query((errorRatio?.expr ?? '').replaceAll('[5m]', `[${rateInterval}]`));
    const byVersion = Object.fromEntries(samples.map((sample) => [sample.metric['version'], Number(sample.value[1])]));
    expect(byVersion).toEqual({ v1: 0, v2: 1 });
  });

  test('status panel shows the 500s', async () => {
    const panel = servicePanels.find((candidate) => candidate.title === 'Responses by status');
    const samples = await queryUntil(resolveGrafanaVariables(panel?.targets?.[0]?.expr ?? '', rateInterval), 2);
    expect(samples.map((sample) => sample.metric['status']).sort()).toEqual(['200', '500']);
  });
});
