import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';

import { keptFolderMaxAgeMs, markKept, removeOldKeptFolders } from '@atom-actions/sandbox/runner/kept-folders';

let directory: string;

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-folders-'));
});

afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

/** Creates a runner folder, marks it as kept when asked, and dates the mark `ageMs` back. */
function runnerFolder(name: string, options: { kept: boolean; ageMs: number }): string {
  const folder = path.join(directory, name);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'step-summary.md'), '## Summary');
  if (options.kept) {
    markKept(folder);
    const markedAt = new Date(Date.now() - options.ageMs);
    fs.utimesSync(path.join(folder, '.kept-by-sandbox-run'), markedAt, markedAt);
  }
  return folder;
}

describe('removeOldKeptFolders', () => {
  test('removes only old kept folders', () => {
    const old = runnerFolder('atom-runner-old', { kept: true, ageMs: keptFolderMaxAgeMs + 60_000 });
    const recent = runnerFolder('atom-runner-recent', { kept: true, ageMs: 60_000 });
    const unmarked = runnerFolder('atom-runner-unmarked', { kept: false, ageMs: 0 });
    const otherName = runnerFolder('other-old', { kept: true, ageMs: keptFolderMaxAgeMs + 60_000 });

    const removed = removeOldKeptFolders(directory);

    expect(removed).toEqual([old]);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(recent)).toBe(true);
    expect(fs.existsSync(unmarked)).toBe(true);
    expect(fs.existsSync(otherName)).toBe(true);
  });

  test('empty folder removes nothing', () => {
    expect(removeOldKeptFolders(directory)).toEqual([]);
  });
});
