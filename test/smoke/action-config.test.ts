import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import { startDemoService, type DemoService } from '@atom-actions/sandbox/demo/service';

import { fastRetryInputs, runSmokeAction } from './helpers/smoke.ts';

describe('smoke-test configuration errors', () => {
  let demo: DemoService;

  beforeAll(async () => {
    demo = await startDemoService({ version: 'v1' });
  });

  afterAll(async () => {
    await demo.stop();
  });

  const cases: [string, Record<string, string>, string][] = [
    ['invalid YAML', { checks: '- name: live\n  path: [/health/live' }, 'Input "checks" is not valid YAML or JSON: '],
    [
      'unknown key with suggestion',
      { checks: '- name: live\n  path: /health/live\n  expected: { status: 200 }' },
      'Input "checks": checks[0] ("live") has an unknown key "expected". Did you mean "expect"?',
    ],
    [
      'invalid check URL',
      { checks: '- name: external\n  url: htp//example.test/health' },
      'Input "checks": checks[0] ("external").url has the invalid value "htp//example.test/health": expected an absolute URL starting with http:// or https://.',
    ],
    ['invalid base URL', { 'base-url': 'localhost:8080', checks: '- path: /health/live' }, 'Input "base-url" has an invalid value "localhost:8080": expected an absolute URL starting with http:// or https://.'],
    ['unknown capture', { checks: '- path: /api/skills\n  headers: { Authorization: "Bearer {{ acces_token }}" }' }, 'uses "{{ acces_token }}", but no check captures "acces_token".'],
    ['preset without password', { preset: 'atom', username: 'demo' }, 'Input "password" is required because check "token login" uses {{ password }}.'],
    ['neither preset nor checks', {}, 'Inputs "preset" and "checks" are both empty: set preset: atom, a checks list, or both.'],
  ];

  test.each(cases)('%s fails before any request', async (_name, inputs, message) => {
    const before = demo.requests().length;

    const result = await runSmokeAction({ 'base-url': demo.url, ...fastRetryInputs, ...inputs });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(message);
    expect(result.stdout).not.toMatch(/\bat .+:\d+:\d+/);
    expect(demo.requests().length).toBe(before);
  });
});
