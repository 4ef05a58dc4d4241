import { spawn } from 'node:child_process';
import * as path from 'node:path';

import { afterEach, describe, expect, test } from '@jest/globals';
import { request } from 'undici';

import { startDemoService, type DemoService, type DemoServiceOptions } from '@atom-actions/sandbox/demo/service';

import { repositoryRoot } from '../../helpers/actions.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const response = await request(url, { method: (options.method ?? 'GET') as 'GET', headers: options.headers, body: options.body });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

async function login(service: DemoService): Promise<string> {
  const reply = await send(`${service.url}/api/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'username=demo&password=demo-password',
  });
  return (JSON.parse(reply.text) as { access_token: string }).access_token;
}

describe('demo service', () => {
  const started: DemoService[] = [];

  async function start(options: Partial<DemoServiceOptions> = {}): Promise<DemoService> {
    const service = await startDemoService({ version: 'v1', ...options });
    started.push(service);
    return service;
  }

  afterEach(async () => {
    await Promise.all(started.splice(0).map((service) => service.stop()));
  });

  test('health endpoints report status and version', async () => {
    const service = await start({ version: 'v2' });

    const live = await send(`${service.url}/health/live`);
    const ready = await send(`${service.url}/health/ready`);
    const db = await send(`${service.url}/health/db`);

    expect(live.status).toBe(200);
    expect(JSON.parse(live.text)).toEqual({ status: 'healthy', version: 'v2' });
    expect(JSON.parse(ready.text)).toEqual({ status: 'ready', version: 'v2' });
    expect(JSON.parse(db.text)).toMatchObject({ status: 'healthy' });
    expect(live.headers['x-service-version']).toBe('v2');
  });

  test('token login and authenticated calls', async () => {
    const service = await start();
    const token = await login(service);
    const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const execute = await send(`${service.url}/api/agents/execute`, { method: 'POST', headers: bearer, body: JSON.stringify({ agent_id: 'test-agent', query: 'hello' }) });
    const canvas = await send(`${service.url}/api/canvas/present`, { method: 'POST', headers: bearer, body: JSON.stringify({ canvas_type: 'generic', content: 'test' }) });
    const skills = await send(`${service.url}/api/skills`, { headers: bearer });

    expect(execute.status).toBe(200);
    expect(JSON.parse(execute.text).execution_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(canvas.text).canvas_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Array.isArray(JSON.parse(skills.text))).toBe(true);
  });

  test('rejects wrong password and missing token', async () => {
    const service = await start({ credentials: { username: 'ops', password: 's3cret' } });

    const wrong = await send(`${service.url}/api/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ops', password: 'nope' }) });
    const right = await send(`${service.url}/api/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ops', password: 's3cret' }) });
    const anonymous = await send(`${service.url}/api/skills`);
    const forged = await send(`${service.url}/api/skills`, { headers: { authorization: 'Bearer demo-forged' } });

    expect(wrong.status).toBe(401);
    expect(right.status).toBe(200);
    expect(anonymous.status).toBe(401);
    expect(forged.status).toBe(401);
  });

  test('status fault per route', async () => {
    const service = await start({ faults: { routes: { '/health/ready': { status: 503 } } } });

    expect((await send(`${service.url}/health/ready`)).status).toBe(503);
    expect((await send(`${service.url}/health/live`)).status).toBe(200);
  });

  test('error rate fails exact share', async () => {
    const service = await start({ faults: { routes: { '*': { errorRate: 0.05 } } } });

    const statuses: number[] = [];
    for (let index = 0; index < 40; index++) statuses.push((await send(`${service.url}/health/live`)).status);

    expect(statuses.filter((status) => status === 500)).toHaveLength(2);
    expect(statuses.filter((status) => status === 200)).toHaveLength(38);
  });

  test('latency fault delays route', async () => {
    const service = await start({ faults: { routes: { '/health/live': { latencyMs: 300 } } } });

    await send(`${service.url}/health/live`);
    const metrics = (await send(`${service.url}/metrics`)).text;

    // The injected 300 ms is a lower bound, so the request never falls in the 0.25 s bucket, however loaded the machine.
    expect(metrics).toContain('http_request_duration_seconds_bucket{le="0.25",status="200",route="/health/live",method="GET",version="v1"} 0');
    expect(metrics).toContain('http_request_duration_seconds_count{status="200",route="/health/live",method="GET",version="v1"} 1');
  });

  test('reset fault drops connection', async () => {
    const service = await start({ faults: { routes: { '/health/live': { reset: true } } } });

    await expect(send(`${service.url}/health/live`)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
    expect(service.requests()).toEqual([{ method: 'GET', path: '/health/live' }]);
  });

  test('redirect and HTML faults', async () => {
    const service = await start({ faults: { routes: { '/a': { redirectTo: '/b' }, '/b': { redirectTo: '/a' }, '/health/db': { html: true, status: 502 } } } });

    const redirect = await send(`${service.url}/a`);
    const html = await send(`${service.url}/health/db`);

    expect(redirect.status).toBe(302);
    expect(redirect.headers['location']).toBe('/b');
    expect(html.status).toBe(502);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  test('warm-up answers status until faults change', async () => {
    const service = await start({ faults: { warmUp: { status: 503, seconds: 600 } } });

    expect((await send(`${service.url}/health/live`)).status).toBe(503);
    service.setFaults({ warmUp: { status: 404, seconds: 0 } });
    expect((await send(`${service.url}/health/live`)).status).toBe(200);
  });

  test('faults replaced over HTTP', async () => {
    const service = await start();

    const put = await send(`${service.url}/__sandbox/faults`, { method: 'PUT', body: JSON.stringify({ routes: { '/health/live': { status: 500 } } }) });
    const invalid = await send(`${service.url}/__sandbox/faults`, { method: 'PUT', body: JSON.stringify({ routes: { '/health/live': { stauts: 500 } } }) });
    const current = await send(`${service.url}/__sandbox/faults`);

    expect(put.status).toBe(200);
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.text).detail).toContain('unknown key "stauts"');
    expect(JSON.parse(current.text)).toEqual({ routes: { '/health/live': { status: 500 } } });
    expect((await send(`${service.url}/health/live`)).status).toBe(500);
    expect(service.requests()).toEqual([{ method: 'GET', path: '/health/live', status: 500 }]);
  });

  test('metrics count by status, route, method and version', async () => {
    const stable = await start({ version: 'v1' });
    const canary = await start({ version: 'v2', faults: { routes: { '/health/live': { status: 500 } } } });

    await send(`${stable.url}/health/live`);
    await send(`${stable.url}/health/live`);
    await send(`${canary.url}/health/live`);
    await send(`${canary.url}/nowhere`);
    const stableMetrics = (await send(`${stable.url}/metrics`)).text;
    const canaryMetrics = (await send(`${canary.url}/metrics`)).text;

    expect(stableMetrics).toContain('http_requests_total{status="200",route="/health/live",method="GET",version="v1"} 2');
    expect(stableMetrics).not.toContain('version="v2"');
    expect(canaryMetrics).toContain('http_requests_total{status="500",route="/health/live",method="GET",version="v2"} 1');
    expect(canaryMetrics).toContain('http_requests_total{status="404",route="unmatched",method="GET",version="v2"} 1');
    expect(canaryMetrics).toContain('http_request_duration_seconds_bucket{le="0.005"');
    expect(canaryMetrics).toContain('http_request_duration_seconds_bucket{le="5"');
  });
});

describe('demo CLI', () => {
  test('prints ready and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(repositoryRoot, 'packages/sandbox/src/cli.ts'), 'demo', '--version', 'v2', '--faults', '{"routes":{"/health/ready":{"status":503}}}'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        const match = /^ready (\S+)$/m.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`demo exited early with ${code}: ${stdout}`)));
    });

    const ready = await send(`${url}/health/ready`);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.status).toBe(503);
    expect(await exited).toBe(0);
  });

  test('rejects invalid faults', async () => {
    const child = spawn(process.execPath, [path.join(repositoryRoot, 'packages/sandbox/src/cli.ts'), 'demo', '--faults', '{"warmUp":{"status":418}}'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));

    expect(code).toBe(2);
    expect(stderr).toContain('error: --faults is invalid: faults.warmUp.status must be 404 or 503');
  });
});
