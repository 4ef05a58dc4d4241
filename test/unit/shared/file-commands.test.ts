import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';

import { appendStepSummary, setOutput, setOutputs } from '@atom-actions/shared/file-commands';
import { writeInfo, writeWarning } from '@atom-actions/shared/workflow-commands';
import { parseKeyValueFile } from '@atom-actions/sandbox/runner/file-commands';
import { parseStdout } from '@atom-actions/sandbox/runner/stdout-commands';

let folder: string;
const savedEnv = { ...process.env };

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'atom-file-commands-'));
});

afterEach(() => {
  process.env = { ...savedEnv };
  fs.rmSync(folder, { recursive: true, force: true });
  jest.restoreAllMocks();
});

function captureStdout(): string[] {
  const writes: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  return writes;
}

describe('setOutputs', () => {
  test('writes blocks the runner parses', () => {
    const file = path.join(folder, 'output');
    fs.writeFileSync(file, 'earlier=1\n');
    process.env['GITHUB_OUTPUT'] = file;

    setOutputs({ 'rolled-back': 'true', message: 'line one\nline two', empty: '' });
    setOutput('to-revision', '2');

    expect(parseKeyValueFile(fs.readFileSync(file, 'utf8'))).toEqual({ earlier: '1', 'rolled-back': 'true', message: 'line one\nline two', empty: '', 'to-revision': '2' });
  });

  test('delimiters differ per output', () => {
    const file = path.join(folder, 'output');
    fs.writeFileSync(file, '');
    process.env['GITHUB_OUTPUT'] = file;

    setOutputs({ a: '1', b: '2' });

    const delimiters = fs.readFileSync(file, 'utf8').match(/<<(ghadelimiter_[0-9a-f-]+)/g) ?? [];
    expect(delimiters).toHaveLength(2);
    expect(new Set(delimiters).size).toBe(2);
  });

  test('missing output file throws', () => {
    process.env['GITHUB_OUTPUT'] = path.join(folder, 'absent');
    expect(() => setOutput('a', '1')).toThrow(`The output file ${path.join(folder, 'absent')} from GITHUB_OUTPUT does not exist`);
  });

  test('without GITHUB_OUTPUT writes set-output', () => {
    delete process.env['GITHUB_OUTPUT'];
    const writes = captureStdout();

    setOutput('message', 'a,b: 50%');

    expect(writes.join('')).toContain('::set-output name=message::a,b: 50%25');
  });
});

describe('appendStepSummary', () => {
  test('appends with a line break', () => {
    const file = path.join(folder, 'summary.md');
    fs.writeFileSync(file, '');
    process.env['GITHUB_STEP_SUMMARY'] = file;

    appendStepSummary('## One');
    appendStepSummary('## Two');

    expect(fs.readFileSync(file, 'utf8')).toBe(`## One${os.EOL}## Two${os.EOL}`);
  });

  test('outside a runner does nothing', () => {
    delete process.env['GITHUB_STEP_SUMMARY'];
    expect(() => appendStepSummary('## One')).not.toThrow();
  });
});

describe('log commands', () => {
  test('info and warning parse as the runner reads them', () => {
    const writes = captureStdout();

    writeInfo('Waiting for deployment "atom" rollout to finish');
    writeWarning('100% of pods: not ready\nsecond line', { title: 'pods' });

    const parsed = parseStdout(writes.join(''));
    expect(parsed.log).toContain('Waiting for deployment "atom" rollout to finish');
    expect(parsed.annotations).toEqual([{ level: 'warning', message: '100% of pods: not ready\nsecond line', properties: { title: 'pods' } }]);
  });
});
