import * as fs from 'node:fs';
import * as path from 'node:path';

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import { startDemoService, type DemoService } from '@atom-actions/sandbox/demo/service';
import type { StepResult } from '@atom-actions/sandbox/runner/runner';
import type { SmokeReport } from '@atom-actions/shared/smoke/model';
import { percentile } from '@atom-actions/shared/smoke/percentiles';

import { fastRetryInputs, readReport, runSmokeAction, stdoutWithoutMasks } from './helpers/smoke.ts';

const apiKey = 'api-key-7f3c9e1b';
const extraChecks = `
- name: version header
  path: /health/live
  headers:
    X-Api-Key: { value: "${apiKey}", secret: true }
  expect:
    headers:
      x-service-version: v1
    json:
      $.version: { matches: "^v\\\\d+$" }
`;

describe('smoke-test atom preset on a healthy service', () => {
  let demo: DemoService;
  let result: StepResult;
  let report: SmokeReport;

  beforeAll(async () => {
    demo = await startDemoService({ version: 'v1' });
    result = await runSmokeAction({
      'base-url': demo.url,
      preset: 'atom',
      checks: extraChecks,
      username: 'demo',
      password: 'demo-password',
      environment: 'staging',
      'junit-report': 'reports/smoke.xml',
      ...fastRetryInputs,
    });
    report = readReport(result);
  });

  afterAll(async () => {
    await demo.stop();
  });

  test('step passes with every check', () => {
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['passed']).toBe('true');
    expect(result.outputs['total']).toBe('8');
    expect(result.outputs['failed']).toBe('0');
    expect(report.checks.map((check) => [check.name, check.outcome])).toEqual([
      ['health live', 'passed'],
      ['health ready', 'passed'],
      ['health db', 'passed'],
      ['token login', 'passed'],
      ['agent execute', 'passed'],
      ['canvas present', 'passed'],
      ['skills list', 'passed'],
      ['version header', 'passed'],
    ]);
  });

  test('preset sends the runbook requests', () => {
    const sent = demo.requests().map((request) => `${request.method} ${request.path} ${request.status}`);
    expect(sent).toEqual(
      expect.arrayContaining([
        'GET /health/live 200',
        'GET /health/ready 200',
        'GET /health/db 200',
        'POST /api/token 200',
        'POST /api/agents/execute 200',
        'POST /api/canvas/present 200',
        'GET /api/skills 200',
      ]),
    );
    expect(sent).toHaveLength(8);
  });

  test('secrets never leave the masks', () => {
    const token = result.masks.find((mask) => mask.startsWith('demo-'));
    expect(token).toBeDefined();
    expect(result.masks).toContain('demo-password');
    expect(result.masks).toContain(apiKey);

    const junit = fs.readFileSync(path.join(result.workspace, 'reports/smoke.xml'), 'utf8');
    const reportText = fs.readFileSync(result.outputs['report'] ?? '', 'utf8');
    const places = { stdout: stdoutWithoutMasks(result), stderr: result.stderr, summary: result.summary, report: reportText, junit, outputs: JSON.stringify(result.outputs) };
    for (const secret of result.masks) {
      for (const [place, text] of Object.entries(places)) {
        expect({ place, leaked: text.includes(secret) }).toEqual({ place, leaked: false });
      }
    }
  });

  test('outputs carry nearest-rank percentiles', () => {
    const samples = report.checks.flatMap((check) => check.latencySamplesMs);
    expect(samples).toHaveLength(8);
    const rounded = (value: number | undefined): string => String(Math.round((value ?? 0) * 10) / 10);
    expect(result.outputs['p50-ms']).toBe(rounded(percentile(samples, 50)));
    expect(result.outputs['p95-ms']).toBe(rounded(percentile(samples, 95)));
    expect(result.outputs['p99-ms']).toBe(rounded(percentile(samples, 99)));
    expect(Number(result.outputs['p50-ms'])).toBeLessThanOrEqual(Number(result.outputs['p95-ms']));
    expect(report.latency.samples).toBe(8);
    expect(report.p95BudgetMs).toBe(500);
  });

  test('summary lists every check and percentiles', () => {
    expect(result.summary).toContain('Smoke test passed: 8 of 8 checks');
    for (const check of report.checks) expect(result.summary).toContain(`| ${check.name} | ✅ pass | 1 | 200 |`);
    expect(result.summary).toContain('| P50 | P95 | P99 | samples | P95 budget | result |');
    expect(result.summary).toContain('500 ms (staging)');
  });

  test('JUnit report has one case per check', () => {
    const junit = fs.readFileSync(path.join(result.workspace, 'reports/smoke.xml'), 'utf8');
    expect(junit).toContain('<testsuite name="smoke-test" tests="8" failures="0" errors="0" skipped="0"');
    expect(junit.match(/<testcase /g)).toHaveLength(8);
    expect(junit).toContain('name="token login"');
  });
});

describe('smoke-test budgets and fail-on-error', () => {
  let demo: DemoService;

  beforeAll(async () => {
    demo = await startDemoService({ version: 'v2', faults: { routes: { '/health/live': { latencyMs: 250 } } } });
  });

  afterAll(async () => {
    await demo.stop();
  });

  test('production P95 budget fails slow service', async () => {
    const result = await runSmokeAction({ 'base-url': demo.url, checks: '- path: /health/live', environment: 'production', ...fastRetryInputs });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['passed']).toBe('false');
    expect(result.outputs['failed']).toBe('0');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^P95 latency \d+(\.\d+)? ms is over the 200 ms budget \(production\)$/);
    expect(result.summary).toContain('P95 latency over budget');
  });

  test('explicit p95-budget overrides environment', async () => {
    const result = await runSmokeAction({ 'base-url': demo.url, checks: '- path: /health/live', environment: 'production', 'p95-budget': '5s', ...fastRetryInputs });

    expect(result.exitCode).toBe(0);
    expect(readReport(result).p95BudgetMs).toBe(5000);
  });

  test('fail-on-error false only warns', async () => {
    const checks = '- path: /health/live\n  expect: { json: { $.status: degraded } }';
    const result = await runSmokeAction({ 'base-url': demo.url, checks, 'fail-on-error': 'false', ...fastRetryInputs });

    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.outputs['passed']).toBe('false');
    expect(result.outputs['failed']).toBe('1');
    expect(result.warnings).toContain('Check "GET /health/live" failed: $.status is "healthy", expected "degraded"');
  });
});
