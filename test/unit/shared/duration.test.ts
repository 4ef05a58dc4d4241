import { describe, expect, test } from '@jest/globals';

import { boundedDurationForm } from '@atom-actions/shared/duration';
import { parseDurationInput } from '@atom-actions/shared/inputs';

describe('boundedDurationForm', () => {
  test('minimum drops smaller examples', () => {
    expect(boundedDurationForm({ min: 1000 })).toBe('a duration of at least 1s, such as 30s, 5m or 1h30m');
  });

  test('maximum drops larger examples', () => {
    expect(boundedDurationForm({ max: 60_000 })).toBe('a duration of at most 1m, such as 500ms or 30s');
  });

  test('narrow range keeps one example', () => {
    expect(boundedDurationForm({ min: 10_000, max: 60_000 })).toBe('a duration of at least 10s and at most 1m, such as 30s');
  });

  test('range without examples names bounds only', () => {
    expect(boundedDurationForm({ min: 1000, max: 2000 })).toBe('a duration of at least 1s and at most 2s');
  });

  test('input error uses bounded form', () => {
    expect(() => parseDurationInput('timeout', '200ms', { min: 1000 })).toThrow('Input "timeout" has an invalid value "200ms": expected a duration of at least 1s, such as 30s, 5m or 1h30m.');
  });
});
