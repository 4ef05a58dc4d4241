import { describe, expect, test } from '@jest/globals';

import { computeHash, safeEncodeString } from '@atom-actions/sandbox/kube/controller/hash';
import { ApiError } from '@atom-actions/sandbox/kube/errors';
import { formatLabelSelector, fromLabelSelector, matchesLabels, parseLabelSelector } from '@atom-actions/sandbox/kube/selectors';

describe('label selector parsing', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'api' }, false],
    ['app!=web', {}, true],
    ['env in (prod, staging)', { env: 'staging' }, true],
    ['env notin (prod)', { env: 'prod' }, false],
    ['canary', { canary: '' }, true],
    ['!canary', { canary: 'yes' }, false],
    ['app=web,!canary,env in (prod)', { app: 'web', env: 'prod' }, true],
    ['example.com/team=atom', { 'example.com/team': 'atom' }, true],
  ];

  test.each(cases)('%s', (selector, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  test('rejects malformed selectors', () => {
    for (const selector of ['env in prod', 'a=b=c', '=x']) {
      expect(() => parseLabelSelector(selector)).toThrow(ApiError);
    }
  });

  test('formats structured selectors as kubectl does', () => {
    const structured = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'DoesNotExist' }] };
    expect(formatLabelSelector(structured)).toBe('app=web,env in (a,b),!canary');
    expect(matchesLabels(fromLabelSelector(structured), { app: 'web', env: 'b' })).toBe(true);
  });
});

describe('pod template hash', () => {
  test('encodes like SafeEncodeString', () => {
    // '0'..'9' are bytes 48..57, and 48 % 27 = 21 picks '4' from "bcdfghjklmnpqrstvwxz2456789".
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });

  test('is stable and changes with the template', () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } };
    const reordered = { spec: { containers: [{ image: 'web:1', name: 'app' }] }, metadata: { labels: { app: 'web' } } };
    expect(computeHash(template)).toBe(computeHash(reordered));
    expect(computeHash(template)).not.toBe(computeHash({ ...template, spec: { containers: [{ name: 'app', image: 'web:2' }] } }));
    expect(computeHash(template, 1)).not.toBe(computeHash(template));
  });
});
