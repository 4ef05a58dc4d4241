import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';

import { detectFormat } from '../../actions/quality-gate/src/report/detect.ts';
import { parseJUnit } from '../../actions/quality-gate/src/tests/junit.ts';
import { TestResults } from '../../actions/quality-gate/src/tests/results.ts';
import { repositoryRoot } from '../helpers/actions.ts';

/** JUnit files from EnricoMi/publish-unit-test-result-action's test suite, with the counts that project expects. */
const corpus = path.resolve(repositoryRoot, '../shared/corpora/junit-xml-peer');

interface Counts {
  tests: number;
  tests_succ: number;
  tests_skip: number;
  tests_fail: number;
  tests_error: number;
}

/**
 * Files where our counts differ from the peer's on purpose; the action
 * README's "Differences from other parsers" gives the reasons.
 */
const differences: Record<string, Counts> = {
  // The suite declares 6 tests but lists no testcase: we count records only.
  'no-cases-but-tests.xml': { tests: 0, tests_succ: 0, tests_skip: 0, tests_fail: 0, tests_error: 0 },
};

function corpusFiles(): string[] {
  if (!fs.existsSync(corpus)) return [];
  return fs
    .readdirSync(corpus, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.xml'))
    .sort();
}

const files = corpusFiles();

async function ourCounts(file: string): Promise<Counts> {
  const results = new TestResults();
  await parseJUnit(file, results.add.bind(results));
  const counts = results.counts();
  return { tests: counts.total, tests_succ: counts.passed, tests_skip: counts.skipped + counts.xfailed, tests_fail: counts.failed, tests_error: counts.errored };
}

describe('JUnit peer corpus', () => {
  if (files.length === 0) {
    test.skip(`corpus folder ${corpus} is absent`, () => undefined);
    return;
  }

  test.each(files)('%s', async (name) => {
    const file = path.join(corpus, name);
    const base = file.replace(/\.xml$/, '');

    if (fs.existsSync(`${base}.exception`)) {
      const detected = await detectFormat(file);
      const rejected = 'unknown' in detected || (await parseJUnit(file, () => undefined).then(() => false, () => true));
      expect(rejected).toBe(true);
      return;
    }

    const stats = (JSON.parse(fs.readFileSync(`${base}.results.json`, 'utf8')) as { stats: Counts }).stats;
    const expected = differences[name] ?? { tests: stats.tests, tests_succ: stats.tests_succ, tests_skip: stats.tests_skip, tests_fail: stats.tests_fail, tests_error: stats.tests_error };
    expect(await detectFormat(file)).toEqual({ format: 'junit' });
    expect(await ourCounts(file)).toEqual(expected);
  });
});
