import { afterEach, describe, expect, jest, test } from '@jest/globals';

import { ConfigurationError } from '@atom-actions/shared/errors';
import { InputReader } from '@atom-actions/shared/inputs';
import { clearSecretsForTests } from '@atom-actions/shared/secrets';

import { readSettings } from '../../src/settings.ts';

function reader(values: Record<string, string>): InputReader {
  return new InputReader((name) => values[name] ?? '', '/nonexistent-workspace');
}

const minimal = { 'base-url': 'https://127.0.0.1:8443', environment: 'production' };

afterEach(() => {
  clearSecretsForTests();
  jest.restoreAllMocks();
});

describe('verify settings', () => {
  test('production thresholds by default', async () => {
    const settings = await readSettings(reader({ ...minimal, 'prometheus-url': 'http://127.0.0.1:9090' }));

    const thresholds = settings.metrics?.queries.map((query) => [query.name, query.threshold]);
    expect(thresholds).toEqual([
      ['error rate', 0.1],
      ['P95 latency', 200],
      ['deployment success rate', 95],
    ]);
  });

  test('explicit thresholds override', async () => {
    const settings = await readSettings(reader({ ...minimal, 'prometheus-url': 'http://127.0.0.1:9090', 'max-error-rate': '2%', 'max-p95-latency': '750ms' }));

    expect(settings.metrics?.queries[0]?.threshold).toBe(2);
    expect(settings.metrics?.queries[1]?.threshold).toBe(750);
  });

  test('selector and window fill queries', async () => {
    const settings = await readSettings(reader({ ...minimal, 'prometheus-url': 'http://127.0.0.1:9090', 'metrics-selector': 'job="atom"', 'metrics-window': '30s' }));

    expect(settings.metrics?.queries[0]?.query).toBe(
      '(sum(rate(http_requests_total{status=~"5..",job="atom"}[30s])) or vector(0)) / sum(rate(http_requests_total{ job="atom" }[30s]))',
    );
  });

  test('health uses base-url and environment', async () => {
    const settings = await readSettings(reader(minimal));

    expect(settings.health?.checks.map((check) => check.name)).toEqual(['health live', 'health ready', 'health db']);
    expect(settings.health?.baseUrl.href).toBe('https://127.0.0.1:8443/');
    expect(settings.health?.p95BudgetMs).toBe(200);
    expect(settings.smoke).toBeUndefined();
  });

  test('smoke preset needs the password', async () => {
    await expect(readSettings(reader({ ...minimal, 'smoke-preset': 'atom', 'smoke-username': 'demo' }))).rejects.toThrow(
      'Input "smoke-password" is required because check "token login" uses {{ password }}.',
    );
  });

  test('rollback needs a deployment', async () => {
    await expect(readSettings(reader({ ...minimal, 'on-failure': 'rollback' }))).rejects.toThrow('needs input "deployment"');
  });

  test('notify needs a channel', async () => {
    await expect(readSettings(reader({ ...minimal, deployment: 'atom', 'on-failure': 'rollback-and-notify' }))).rejects.toThrow('no notify channel is set');
  });

  test('notify secrets masked at parse', async () => {
    const writes: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });

    await readSettings(
      reader({ ...minimal, deployment: 'atom', 'on-failure': 'rollback-and-notify', 'notify-webhook-url': 'http://127.0.0.1:9/hook/s3cr3t', 'notify-allow-any-host': 'true' }),
    );

    expect(writes.join('')).toContain('::add-mask::http://127.0.0.1:9/hook/s3cr3t');
  });

  test('invalid log pattern is named', async () => {
    await expect(readSettings(reader({ ...minimal, 'log-patterns': 'error|(' }))).rejects.toThrow(ConfigurationError);
    await expect(readSettings(reader({ ...minimal, 'log-patterns': 'error|(' }))).rejects.toThrow('Input "log-patterns" has an invalid regular expression "error|("');
  });

  test('invalid deployment name is named', async () => {
    await expect(readSettings(reader({ ...minimal, deployment: 'Atom_API' }))).rejects.toThrow('Input "deployment" has an invalid value "Atom_API"');
  });

  test('bare P95 threshold is rejected', async () => {
    await expect(readSettings(reader({ ...minimal, 'prometheus-url': 'http://127.0.0.1:9090', 'max-p95-latency': '500' }))).rejects.toThrow(
      'Input "max-p95-latency" has an invalid value "500": expected a duration such as 500ms, 30s, 5m or 1h30m, with a unit (a bare number is ambiguous here).',
    );
  });

  test('environment must be known', async () => {
    await expect(readSettings(reader({ ...minimal, environment: 'prod' }))).rejects.toThrow('Input "environment" has an invalid value "prod": expected one of staging, production.');
  });
});
