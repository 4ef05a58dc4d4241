import { afterEach, describe, expect, jest, test } from '@jest/globals';

import { clearSecretsForTests, redact, redactHeaders, redactUrl, registerSecret } from '@atom-actions/shared/secrets';

afterEach(() => {
  clearSecretsForTests();
  jest.restoreAllMocks();
});

describe('secrets', () => {
  test('registerSecret masks before use', () => {
    const writes: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });

    registerSecret('p@ss word');

    expect(writes.join('')).toContain('::add-mask::p@ss word');
    // The URL-encoded form is masked too; the command itself escapes '%' as '%25'.
    expect(writes.join('')).toContain('::add-mask::p%2540ss%2520word');
  });

  test('redact replaces longest first', () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    registerSecret('abc');
    registerSecret('abcdef');

    expect(redact('x abcdef y abc z')).toBe('x *** y *** z');
  });

  test('redactUrl hides credentials', () => {
    expect(redactUrl('https://user:pw@127.0.0.1/a?token=t1&x=2')).toBe('https://***:***@127.0.0.1/a?token=***&x=2');
  });

  test('redactHeaders hides authorization', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', Accept: 'text/plain' })).toEqual({ Authorization: '***', Accept: 'text/plain' });
  });
});
