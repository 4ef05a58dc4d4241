import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';

import { startDemoService, type DemoService, type DemoServiceOptions } from '@atom-actions/sandbox/demo/service';

import { generateSelfSignedCertificate, type SelfSignedCertificate } from './helpers/certificate.ts';
import { fastRetryInputs, readReport, runSmokeAction } from './helpers/smoke.ts';

const healthCheck = '- name: live\n  path: /health/live\n  expect: { status: 200, json: { $.status: healthy } }';

describe('smoke-test against faulty services', () => {
  let demo: DemoService | undefined;

  async function start(options: Omit<DemoServiceOptions, 'version'>): Promise<DemoService> {
    demo = await startDemoService({ version: 'v1', ...options });
    return demo;
  }

  afterEach(async () => {
    await demo?.stop();
    demo = undefined;
  });

  test('warm-up 404 retried until 200', async () => {
    // The service responds with 404 until the action's first request has received one, then serves the
    // route. Ending the warm-up on an observed request keeps the test independent of machine speed.
    const service = await start({ faults: { warmUp: { status: 404, seconds: 600 } } });
    const step = runSmokeAction({ 'base-url': service.url, checks: healthCheck, 'warm-up': '60s', 'retry-delay': '200ms', retries: '20', timeout: '30s' });
    while (service.requests().length === 0) await delay(20);
    service.setFaults({});

    const result = await step;

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const statuses = service.requests().map((request) => request.status);
    expect(statuses[0]).toBe(404);
    expect(statuses.at(-1)).toBe(200);
    expect(readReport(result).checks[0]?.attempts).toBe(statuses.length);
    expect(result.stdout).toContain('HTTP 404 (expected 200); routes may still be propagating');
  });

  test('404 outside warm-up not retried', async () => {
    const service = await start({ faults: { warmUp: { status: 404, seconds: 60 } } });

    const result = await runSmokeAction({ 'base-url': service.url, checks: healthCheck, ...fastRetryInputs });

    expect(result.exitCode).toBe(1);
    expect(service.requests()).toHaveLength(1);
    expect(result.errors).toEqual(['Check "live" failed: HTTP 404 (expected 200)']);
  });

  test('connection reset retried then reported', async () => {
    const service = await start({ faults: { routes: { '/health/live': { reset: true } } } });

    const result = await runSmokeAction({ 'base-url': service.url, checks: healthCheck, ...fastRetryInputs });

    expect(result.exitCode).toBe(1);
    expect(service.requests()).toHaveLength(3);
    const check = readReport(result).checks[0];
    expect(check?.failureKind).toBe('connection-reset');
    expect(check?.attempts).toBe(3);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^Check "live" failed: connection reset by the server before a response arrived \(.+\) \(gave up after 2 retries\)$/);
    expect(result.stdout.match(/the service may still be starting, retry \d of 2/g)).toHaveLength(2);
  });

  test('redirect loop named in error', async () => {
    const service = await start({ faults: { routes: { '/a': { redirectTo: '/b' }, '/b': { redirectTo: '/a' } } } });

    const result = await runSmokeAction({ 'base-url': service.url, checks: '- name: loop\n  path: /a', ...fastRetryInputs });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([`Check "loop" failed: Redirect loop: ${service.url}/a → ${service.url}/b → ${service.url}/a`]);
    expect(readReport(result).checks[0]?.failureKind).toBe('redirect-loop');
    expect(service.requests().map((request) => request.path)).toEqual(['/a', '/b']);
  });

  test('redirect chain followed to target', async () => {
    const service = await start({ faults: { routes: { '/old': { redirectTo: '/health/live' } } } });

    const result = await runSmokeAction({ 'base-url': service.url, checks: '- path: /old\n  expect: { json: { $.status: healthy } }', ...fastRetryInputs });

    expect(result.exitCode).toBe(0);
    expect(readReport(result).checks[0]?.redirects).toEqual([`${service.url}/old`, `${service.url}/health/live`]);
  });

  test('HTML page where JSON expected', async () => {
    const service = await start({ faults: { routes: { '/health/live': { html: true } } } });

    const result = await runSmokeAction({ 'base-url': service.url, checks: healthCheck, ...fastRetryInputs });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['Check "live" failed: expected a JSON body, but the body is an HTML page (Content-Type: text/html; charset=utf-8)']);
    const check = readReport(result).checks[0];
    expect(check?.failureKind).toBe('not-json');
    expect(check?.bodyExcerpt?.startsWith('<!DOCTYPE html> <html> <head><title>Service error</title>')).toBe(true);
    expect(check?.attempts).toBe(1);
    expect(result.summary).toContain('Body: &lt;!DOCTYPE html&gt; &lt;html&gt;');
  });

  test('HTML 502 page retried as server error', async () => {
    const service = await start({ faults: { routes: { '/health/live': { html: true, status: 502 } } } });

    const result = await runSmokeAction({ 'base-url': service.url, checks: healthCheck, ...fastRetryInputs });

    expect(result.exitCode).toBe(1);
    expect(service.requests()).toHaveLength(3);
    expect(result.errors[0]).toBe('Check "live" failed: HTTP 502 (expected 200), body is an HTML page (gave up after 2 retries)');
  });
});

describe('smoke-test with a self-signed certificate', () => {
  let certificate: SelfSignedCertificate;
  let demo: DemoService;

  beforeAll(async () => {
    certificate = generateSelfSignedCertificate();
    demo = await startDemoService({ version: 'v1', tls: certificate });
  });

  afterAll(async () => {
    await demo.stop();
  });

  test('passes with the CA inline', async () => {
    const result = await runSmokeAction({ 'base-url': demo.url, checks: healthCheck, 'ca-certificate': certificate.cert, ...fastRetryInputs });

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(demo.url.startsWith('https://127.0.0.1:')).toBe(true);
  });

  test('passes with the CA file', async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-tls-'));
    fs.writeFileSync(path.join(workspace, 'demo-ca.pem'), certificate.cert);

    const result = await runSmokeAction({ 'base-url': demo.url, checks: healthCheck, 'ca-certificate': 'demo-ca.pem', ...fastRetryInputs }, { workspace });

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  test('fails clearly without the CA', async () => {
    const result = await runSmokeAction({ 'base-url': demo.url, checks: healthCheck, ...fastRetryInputs });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('Check "live" failed: TLS verification failed: self-signed certificate');
    expect(result.errors[0]).toContain('Set ca-certificate to the CA that signed the server\'s certificate');
    expect(readReport(result).checks[0]?.attempts).toBe(1);
  });

  test('insecure skip passes with warning', async () => {
    const result = await runSmokeAction({ 'base-url': demo.url, checks: healthCheck, 'insecure-skip-tls-verify': 'true', ...fastRetryInputs });

    expect(result.exitCode).toBe(0);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('TLS certificate verification is off');
  });
});
