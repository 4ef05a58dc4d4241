import { describe, expect, test } from '@jest/globals';

import { LineSplitter } from '@atom-actions/shared/kube/line-splitter';

function split(chunks: string[], end = true): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk);
  if (end) splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  test('line across chunks', () => {
    expect(split(['{"type":"ADD', 'ED"}\n{"type"', ':"MODIFIED"}\n'])).toEqual(['{"type":"ADDED"}', '{"type":"MODIFIED"}']);
  });

  test('several lines in one chunk', () => {
    expect(split(['a\nb\nc\n'])).toEqual(['a', 'b', 'c']);
  });

  test('last line without break', () => {
    expect(split(['a\nb'])).toEqual(['a', 'b']);
  });

  test('partial line waits for end', () => {
    expect(split(['a\nb'], false)).toEqual(['a']);
  });

  test('CRLF keeps the carriage return', () => {
    // JSON.parse treats the trailing \r as white space, so watch events still parse.
    expect(split(['{"a":1}\r\n'])).toEqual(['{"a":1}\r']);
    expect(JSON.parse(split(['{"a":1}\r\n'])[0] ?? '')).toEqual({ a: 1 });
  });

  test('empty lines pass through', () => {
    expect(split(['\n\na\n'])).toEqual(['', '', 'a']);
  });
});
