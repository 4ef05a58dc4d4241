import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterAll, describe, expect, test } from '@jest/globals';

import { parseCobertura } from '../../actions/quality-gate/src/coverage/cobertura.ts';
import { combineCoverage, coveragePercent } from '../../actions/quality-gate/src/coverage/combine.ts';
import { parseIstanbulSummary } from '../../actions/quality-gate/src/coverage/json-reports.ts';
import { parseLcov } from '../../actions/quality-gate/src/coverage/lcov.ts';
import { detectFormat } from '../../actions/quality-gate/src/report/detect.ts';
import { fixtures } from './helpers.ts';

const jestCoverage = path.join(fixtures, 'jest-reports', 'coverage');
const workspace = '/workspace';
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-gate-coverage-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('coverage parsers', () => {
  test('three jest formats agree', async () => {
    const cobertura = await parseCobertura(path.join(jestCoverage, 'cobertura-coverage.xml'), workspace);
    const lcov = await parseLcov(path.join(jestCoverage, 'lcov.info'), workspace);
    const summary = await parseIstanbulSummary(path.join(jestCoverage, 'coverage-summary.json'), workspace);

    for (const parsed of [cobertura, lcov, summary]) {
      expect(parsed).toHaveLength(1);
      expect(parsed[0]).toMatchObject({ linesCovered: 4, linesTotal: 7, branchesCovered: 3, branchesTotal: 8 });
    }
  });

  test('detects formats from content', async () => {
    expect(await detectFormat(path.join(jestCoverage, 'cobertura-coverage.xml'))).toEqual({ format: 'cobertura' });
    expect(await detectFormat(path.join(jestCoverage, 'lcov.info'))).toEqual({ format: 'lcov' });
    expect(await detectFormat(path.join(jestCoverage, 'coverage-summary.json'))).toEqual({ format: 'istanbul-summary' });
    expect(await detectFormat(path.join(fixtures, 'static-analysis', 'codeql.sarif'))).toEqual({ format: 'sarif' });
    expect(await detectFormat(path.join(fixtures, 'static-analysis', 'bandit.json'))).toEqual({ format: 'bandit' });
    expect(await detectFormat(path.join(fixtures, 'static-analysis', 'mypy.jsonl'))).toEqual({ format: 'mypy' });
    expect(await detectFormat(path.join(fixtures, 'handwritten', 'pytest-json-report.json'))).toEqual({ format: 'pytest-json' });
  });

  test('combines as covered over total', () => {
    // A small file fully covered and a large one barely covered: the average of percentages would be 55%.
    const totals = combineCoverage([
      { path: 'small.py', linesCovered: 10, linesTotal: 10, branchesCovered: 0, branchesTotal: 0 },
      { path: 'large.py', linesCovered: 100, linesTotal: 1000, branchesCovered: 0, branchesTotal: 0 },
    ]);

    expect(coveragePercent(totals, 'line')).toBeCloseTo((110 / 1010) * 100, 10);
    expect(coveragePercent(totals, 'branch')).toBeUndefined();
  });

  test('merges line hits of one file', () => {
    const totals = combineCoverage([
      { path: 'a.py', lines: new Map([[1, 1], [2, 0], [3, 0]]), linesCovered: 1, linesTotal: 3, branchesCovered: 0, branchesTotal: 0 },
      { path: 'a.py', lines: new Map([[1, 0], [2, 4], [3, 0]]), linesCovered: 1, linesTotal: 3, branchesCovered: 0, branchesTotal: 0 },
    ]);

    expect(totals.files).toHaveLength(1);
    expect(totals).toMatchObject({ linesCovered: 2, linesTotal: 3 });
  });

  test('cobertura ignores method line copies', async () => {
    const file = path.join(folder, 'methods.xml');
    fs.writeFileSync(
      file,
      '<coverage><packages><package><classes><class filename="a.py"><methods><method name="f"><lines><line number="1" hits="1"/></lines></method></methods>' +
        '<lines><line number="1" hits="1"/><line number="2" hits="0" branch="true" condition-coverage="50% (1/2)"/></lines></class></classes></package></packages></coverage>',
    );
    const [entry] = await parseCobertura(file, workspace);

    expect(entry).toMatchObject({ path: 'a.py', linesCovered: 1, linesTotal: 2, branchesCovered: 1, branchesTotal: 2 });
  });
});
