import { describe, expect, test } from '@jest/globals';

import { InputReader } from '@atom-actions/shared/inputs';
import { ConfigurationError } from '@atom-actions/shared/errors';

function reader(values: Record<string, string>): InputReader {
  return new InputReader((name) => values[name] ?? '', '/nonexistent-workspace');
}

describe('InputReader', () => {
  test('duration parses compound values', () => {
    const inputs = reader({ timeout: '1h30m', short: '250ms', bare: '300' });
    expect(inputs.duration('timeout', { required: true })).toBe(5_400_000);
    expect(inputs.duration('short', { required: true })).toBe(250);
    expect(inputs.duration('bare', { required: true })).toBe(300_000);
  });

  test('duration error names input and value', () => {
    const inputs = reader({ timeout: '5 minutes' });
    expect(() => inputs.duration('timeout', { default: '5m' })).toThrow(ConfigurationError);
    expect(() => inputs.duration('timeout', { default: '5m' })).toThrow(
      'Input "timeout" has an invalid value "5 minutes": expected a duration such as 500ms, 30s, 5m or 1h30m.',
    );
  });

  test('missing required input is named', () => {
    expect(() => reader({}).string('base-url', { required: true })).toThrow('Input "base-url" is required');
  });

  test('boolean accepts only YAML 1.2 words', () => {
    expect(reader({ flag: 'True' }).boolean('flag', { default: false })).toBe(true);
    expect(reader({}).boolean('flag', { default: true })).toBe(true);
    expect(() => reader({ flag: 'yes' }).boolean('flag', { default: false })).toThrow('expected true or false');
  });

  test('percentage accepts sign and decimals', () => {
    expect(reader({ p: '0.1%' }).percentage('p', { required: true })).toBe(0.1);
    expect(reader({ p: '98' }).percentage('p', { required: true })).toBe(98);
    expect(() => reader({ p: '101' }).percentage('p', { required: true })).toThrow('"101"');
  });

  test('integer enforces bounds', () => {
    expect(reader({ n: '3' }).integer('n', { default: 1 }, { min: 1 })).toBe(3);
    expect(() => reader({ n: '-1' }).integer('n', { default: 1 }, { min: 0 })).toThrow('a whole number of at least 0');
    expect(() => reader({ n: '1.5' }).integer('n', { default: 1 })).toThrow('"1.5"');
  });

  test('list splits commas and newlines', () => {
    expect(reader({ l: 'a, b\nc,,\n' }).list('l')).toEqual(['a', 'b', 'c']);
  });

  test('url rejects other schemes', () => {
    expect(reader({ u: 'https://127.0.0.1:8443/x' }).url('u', { required: true }).port).toBe('8443');
    expect(() => reader({ u: 'ftp://127.0.0.1' }).url('u', { required: true })).toThrow('starting with http:// or https://');
    expect(() => reader({ u: 'not a url' }).url('u', { required: true })).toThrow('"not a url"');
  });

  test('choice lists valid words', () => {
    expect(() => reader({ e: 'prod' }).choice('e', ['staging', 'production'], { default: 'staging' })).toThrow(
      'expected one of staging, production',
    );
  });

  test('structured reports YAML syntax errors', async () => {
    await expect(reader({ s: 'a: [1, 2' }).structured('s')).rejects.toThrow('Input "s" is not valid YAML or JSON');
    expect(await reader({ s: '{"a": 1}' }).structured('s')).toEqual({ a: 1 });
  });
});
