import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';

import { startDemoService, type DemoService } from '@atom-actions/sandbox/demo/service';
import { ConfigurationError } from '@atom-actions/shared/errors';
import { InputReader } from '@atom-actions/shared/inputs';
import { clearSecretsForTests } from '@atom-actions/shared/secrets';
import { evaluateValue } from '@atom-actions/shared/smoke/evaluate-value';
import { readSmokeInputs } from '@atom-actions/shared/smoke/inputs';
import type { SmokeLog } from '@atom-actions/shared/smoke/model';
import { parseStatusSpec } from '@atom-actions/shared/smoke/parse-assertions';
import { runSmokeTest } from '@atom-actions/shared/smoke/runner';

// Secrets registered by one test would redact another test's messages.
afterEach(() => {
  clearSecretsForTests();
});

function reader(values: Record<string, string>): InputReader {
  return new InputReader((name) => values[name] ?? '', '/nonexistent-workspace');
}

function collectingLog(): SmokeLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => lines.push(message), warning: (message) => lines.push(`warning: ${message}`) };
}

describe('readSmokeInputs', () => {
  test('prefix applies to every input', async () => {
    const config = await readSmokeInputs(reader({ 'smoke-base-url': 'http://127.0.0.1:1/app/', 'smoke-checks': '- path: /health', 'smoke-retries': '7', 'base-url': 'http://ignored.test' }), {
      prefix: 'smoke-',
    });

    expect(config.baseUrl.href).toBe('http://127.0.0.1:1/app/');
    expect(config.retry.retries).toBe(7);
    expect(config.checks.map((check) => check.name)).toEqual(['GET /health']);
  });

  test('preset precedes checks', async () => {
    const config = await readSmokeInputs(reader({ 'base-url': 'http://127.0.0.1:1', preset: 'atom', password: 'preset-password', username: 'smoke', checks: '- name: extra\n  path: /x' }));

    expect(config.checks.map((check) => check.name)).toEqual(['health live', 'health ready', 'health db', 'token login', 'agent execute', 'canvas present', 'skills list', 'extra']);
  });

  test('environment sets P95 budget', async () => {
    const staging = await readSmokeInputs(reader({ 'base-url': 'http://127.0.0.1:1', checks: '- path: /x', environment: 'staging' }));
    const production = await readSmokeInputs(reader({ 'base-url': 'http://127.0.0.1:1', checks: '- path: /x', environment: 'production' }));
    const none = await readSmokeInputs(reader({ 'base-url': 'http://127.0.0.1:1', checks: '- path: /x' }));

    expect(staging.p95BudgetMs).toBe(500);
    expect(production.p95BudgetMs).toBe(200);
    expect(none.p95BudgetMs).toBeUndefined();
  });

  test('bare latency budgets rejected', async () => {
    for (const input of ['p95-budget', 'latency-budget']) {
      await expect(readSmokeInputs(reader({ 'base-url': 'http://127.0.0.1:1', checks: '- path: /x', [input]: '500' }))).rejects.toThrow(
        `Input "${input}" has an invalid value "500": expected a duration such as 500ms, 30s, 5m or 1h30m, with a unit`,
      );
    }
    const config = await readSmokeInputs(reader({ 'base-url': 'http://127.0.0.1:1', checks: '- path: /x', 'p95-budget': '500ms' }));
    expect(config.p95BudgetMs).toBe(500);
  });

  test('capture cycle rejected', async () => {
    const checks = '- name: a\n  path: /a/{{ b_id }}\n  capture: { a_id: $.id }\n- name: b\n  path: /b/{{ a_id }}\n  capture: { b_id: $.id }';

    await expect(readSmokeInputs(reader({ 'base-url': 'http://127.0.0.1:1', checks }))).rejects.toThrow(
      'Input "checks": checks depend on each other\'s captures in a cycle: "a" → "b" → "a".',
    );
  });

  test('invalid CA rejected', async () => {
    await expect(readSmokeInputs(reader({ 'base-url': 'http://127.0.0.1:1', checks: '- path: /x', 'ca-certificate': 'not a certificate' }))).rejects.toThrow(ConfigurationError);
  });
});

describe('parseStatusSpec', () => {
  test.each([
    [200, [{ min: 200, max: 200 }]],
    ['2xx', [{ min: 200, max: 299 }]],
    ['200-204', [{ min: 200, max: 204 }]],
    [[200, '301-302'], [{ min: 200, max: 200 }, { min: 301, max: 302 }]],
  ])('parses %j', (value, expected) => {
    expect(parseStatusSpec('checks', 'expect.status', value)).toEqual(expected);
  });

  test('rejects reversed range', () => {
    expect(() => parseStatusSpec('checks', 'checks[0].expect.status', '299-200')).toThrow('checks[0].expect.status is the string "299-200"');
  });
});

describe('evaluateValue', () => {
  test.each([
    ['equals', 'healthy', { equals: 'healthy' }, undefined],
    ['equals mismatch', 'starting', { equals: 'healthy' }, '$.x is "starting", expected "healthy"'],
    ['header text equals number', '3', { equals: 3 }, undefined],
    ['matches', 'v12', { matches: '^v\\d+$' }, undefined],
    ['contains in list', ['a', 'b'], { contains: 'b' }, undefined],
    ['gte fails', 2, { gte: 3 }, '$.x is 2, expected >= 3'],
    ['length bounds', [1, 2], { length: { gte: 1, lte: 2 } }, undefined],
    ['length exact fails', 'abc', { length: 2 }, '$.x has length 3, expected 2'],
    ['type array', [], { type: 'array' as const }, undefined],
    ['type mismatch', {}, { type: 'array' as const }, '$.x is an object ({}), expected an array'],
  ])('%s', (_name, value, assertion, expected) => {
    expect(evaluateValue('$.x', true, value, assertion)).toBe(expected);
  });

  test('missing and absent values', () => {
    expect(evaluateValue('$.x', false, undefined, { equals: 1 })).toBe('$.x is missing');
    expect(evaluateValue('$.x', false, undefined, { exists: false })).toBeUndefined();
    expect(evaluateValue('$.x', true, 1, { exists: false })).toBe('$.x exists (1), expected it to be absent');
  });
});

describe('runSmokeTest', () => {
  let demo: DemoService;

  beforeAll(async () => {
    demo = await startDemoService({ version: 'v1' });
  });

  afterAll(async () => {
    await demo.stop();
  });

  test('consecutive successes need a streak', async () => {
    const before = demo.requests().length;
    const config = await readSmokeInputs(reader({ 'base-url': demo.url, checks: '- path: /health/ready\n  consecutive-successes: 3', 'retry-delay': '10ms' }));

    const report = await runSmokeTest(config, collectingLog());

    expect(report.passed).toBe(true);
    expect(report.checks[0]?.attempts).toBe(3);
    expect(report.checks[0]?.latencySamplesMs).toHaveLength(3);
    expect(demo.requests().length - before).toBe(3);
  });

  test('failed capture skips dependents', async () => {
    const before = demo.requests().length;
    const checks = [
      '- name: login',
      '  method: POST',
      '  path: /api/token',
      '  form: { username: "{{ username }}", password: "{{ password }}" }',
      '  capture: { token: $.access_token }',
      '- name: skills',
      '  path: /api/skills',
      '  headers: { Authorization: "Bearer {{ token }}" }',
      '- name: live',
      '  path: /health/live',
    ].join('\n');
    const config = await readSmokeInputs(reader({ 'base-url': demo.url, checks, username: 'demo', password: 'wrong-password', retries: '0' }));
    const log = collectingLog();

    const report = await runSmokeTest(config, log);

    expect(report.checks.map((check) => check.outcome)).toEqual(['failed', 'skipped', 'passed']);
    expect(report.checks[0]?.reason).toBe('HTTP 401 (expected 200-299)');
    expect(report.checks[1]?.reason).toBe('skipped because check "login", whose capture it uses, did not pass');
    expect(report.skipped).toBe(1);
    expect(demo.requests().slice(before).map((request) => request.path).sort()).toEqual(['/api/token', '/health/live']);
    expect(log.lines.join('\n')).not.toContain('wrong-password');
  });
});
