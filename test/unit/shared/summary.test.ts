import { describe, expect, test } from '@jest/globals';

import { codeBlock, markdownTable, mermaidLineChart, statusLabel } from '@atom-actions/shared/summary';
import { formatDuration, parseDuration } from '@atom-actions/shared/duration';
import { closestMatch } from '@atom-actions/shared/suggest';
import { formatCommand } from '@atom-actions/shared/workflow-commands';

describe('summary helpers', () => {
  test('markdownTable escapes cells', () => {
    expect(markdownTable(['a', 'b'], [['x|y', 'line1\nline2']])).toBe('| a | b |\n| --- | --- |\n| x\\|y | line1<br>line2 |');
  });

  test('codeBlock fence outgrows content', () => {
    expect(codeBlock('a ``` b')).toBe('````\na ``` b\n````');
  });

  test('mermaidLineChart draws series', () => {
    const chart = mermaidLineChart('Error rate', ['10%', '50%'], 'percent', [{ name: 'error rate', values: [0.1, null] }]);
    expect(chart).toContain('xychart-beta');
    expect(chart).toContain('x-axis ["10%", "50%"]');
    expect(chart).toContain('line [0.1, 0]');
    expect(chart).toContain('Values not measured are drawn as 0.');
  });

  test('statusLabel pairs icon and word', () => {
    expect(statusLabel('fail')).toBe('❌ fail');
  });
});

describe('durations', () => {
  test.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['250ms', 250],
    ['2m30s', 150_000],
  ])('parseDuration %s', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  test.each(['', 'm5', '5 m', '-1s', '5d'])('parseDuration rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  test('formatDuration rounds', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(2500)).toBe('2.5s');
    expect(formatDuration(90_000)).toBe('1m30s');
  });
});

describe('closestMatch', () => {
  test('suggests near keys only', () => {
    expect(closestMatch('expected_status', ['expect', 'status', 'expected-status'])).toBe('expected-status');
    expect(closestMatch('zzzzzz', ['expect', 'status'])).toBeUndefined();
  });
});

describe('workflow commands', () => {
  test('escapes data and properties', () => {
    expect(formatCommand('error', { file: 'a,b:c', line: 3 }, '50%\nnext')).toBe('::error file=a%2Cb%3Ac,line=3::50%25%0Anext');
  });
});
