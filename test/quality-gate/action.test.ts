import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import { runAction, type StepResult } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { copyPytestSuite, fixtures, python, runPytestSuite } from './helpers.ts';

const action = actionDirectory('quality-gate');

function gate(result: StepResult, id: string): { status: string; value: number | null; reason: string } {
  const gates = JSON.parse(result.outputs['gates'] ?? '[]') as { id: string; status: string; value: number | null; reason: string }[];
  const found = gates.find((entry) => entry.id === id);
  if (!found) throw new Error(`gate ${id} missing in ${result.outputs['gates']}`);
  return found;
}

describe('quality-gate on a real pytest suite', () => {
  let workspace: string;
  let result: StepResult;

  beforeAll(async () => {
    workspace = copyPytestSuite();
    runPytestSuite(workspace);
    result = await runAction({
      actionDirectory: action,
      workspace,
      inputs: { 'test-reports': 'reports/pytest-*.xml', 'coverage-reports': 'reports/coverage.*', 'coverage-threshold': '50' },
      runPost: false,
    });
  });

  afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

  test('counts unique tests on final attempt', () => {
    expect(result.outputs['total']).toBe('8');
    expect(result.outputs['failed']).toBe('4');
    expect(result.outputs['skipped']).toBe('2');
    expect(result.outputs['flaky']).toBe('1');
    expect(result.outputs['pass-rate']).toBe('33.33');
  });

  test('fails the step on the pass rate', () => {
    expect(result.exitCode).toBe(1);
    expect(result.outputs['passed']).toBe('false');
    expect(gate(result, 'pass-rate').status).toBe('fail');
    expect(result.errors.some((message) => message.startsWith('Quality gate failed: Pass rate (33.33%'))).toBe(true);
  });

  test('flaky gate warns', () => {
    expect(gate(result, 'flaky').status).toBe('warn');
    expect(result.warnings.some((message) => message.startsWith('Flaky tests: 1'))).toBe(true);
    expect(result.summary).toContain('test_flaky › test_flaky_once');
    expect(result.summary).toContain('failed → passed');
  });

  test('teardown error is one test', () => {
    const annotation = result.annotations.find((entry) => entry.properties['title']?.startsWith('test_results › test_fails_and_teardown_errors'));
    expect(annotation?.properties['title']).toBe('test_results › test_fails_and_teardown_errors errored');
    expect(annotation?.message).toContain('the call fails too');
    expect(annotation?.message).toContain('failed on teardown');
  });

  test('annotates failures with file and line', () => {
    const annotation = result.annotations.find((entry) => entry.properties['title'] === 'test_results › test_add_item_fails failed');
    expect(annotation?.level).toBe('error');
    expect(annotation?.properties['file']).toBe('test_results.py');
    expect(Number(annotation?.properties['line'])).toBeGreaterThan(0);
    expect(annotation?.message).toContain('stock should be four');
  });

  test('coverage combines both reports per file', () => {
    // Cobertura and coverage.py JSON describe the same file, so it counts once, as coverage.py measured it.
    const cobertura = fs.readFileSync(path.join(workspace, 'reports', 'coverage.xml'), 'utf8');
    const covered = Number(/lines-covered="(\d+)"/.exec(cobertura)?.[1]);
    const valid = Number(/lines-valid="(\d+)"/.exec(cobertura)?.[1]);
    expect(result.outputs['coverage']).toBe(((covered / valid) * 100).toFixed(2));
    expect(gate(result, 'coverage').reason).toBe(`${covered} of ${valid} lines covered in 1 file.`);
    expect(gate(result, 'coverage').status).toBe('warn');
  });

  test('summary lists gates and failing tests', () => {
    expect(result.summary).toContain('| gate | value | threshold | severity | result | reason |');
    expect(result.summary).toContain('Failing tests (4)');
    expect(result.summary).toContain('inventory.py');
  });
});

describe('quality-gate order independence', () => {
  let workspace: string;

  beforeAll(() => {
    workspace = copyPytestSuite();
    // The test-reports input needs a report; the order gate reads only what test-command writes.
    fs.writeFileSync(path.join(workspace, 'reports', 'placeholder.xml'), '<testsuite name="none" tests="1"><testcase classname="a" name="b"/></testsuite>');
  });

  afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

  test('names order-dependent test with seeds', async () => {
    const command = `${python} -m pytest -q -p no:cov -p no:rerunfailures -o cache_dir=.cache test_order.py --random-order`;
    const result = await runAction({
      actionDirectory: action,
      workspace,
      inputs: { 'test-reports': 'reports/*.xml', 'test-command': command, 'order-seeds': '1,4', 'order-runs': '2' },
      env: { PYTHONDONTWRITEBYTECODE: '1' },
      runPost: false,
    });

    expect(result.exitCode).toBe(1);
    expect(gate(result, 'order').status).toBe('fail');
    expect(gate(result, 'order').value).toBe(1);
    expect(result.summary).toContain('| test_order › test_reader | 4 | 1 |');
    expect(result.log.some((line) => line.includes('Order run 2: exit code 1, seed 4'))).toBe(true);
    expect(gate(result, 'duration').reason).toContain('as the longest of 2 runs of test-command');
  });

  test('same outcomes pass the order gate', async () => {
    const command = `${python} -m pytest -q -p no:cov -o cache_dir=.cache test_order.py --random-order`;
    const result = await runAction({
      actionDirectory: action,
      workspace,
      inputs: { 'test-reports': 'reports/*.xml', 'test-command': command, 'order-seeds': '1,2' },
      env: { PYTHONDONTWRITEBYTECODE: '1' },
      runPost: false,
    });

    expect(gate(result, 'order').status).toBe('pass');
    expect(gate(result, 'order').reason).toBe('2 runs with seeds 1, 2 compared over 2 tests.');
    expect(result.exitCode).toBe(0);
  });

  test('runs with no tests fail the gate', async () => {
    const command = `${python} -m pytest -q -p no:cov -o cache_dir=.cache does_not_exist.py --random-order`;
    const result = await runAction({
      actionDirectory: action,
      workspace,
      inputs: { 'test-reports': 'reports/*.xml', 'test-command': command, 'order-seeds': '1,2' },
      env: { PYTHONDONTWRITEBYTECODE: '1' },
      runPost: false,
    });

    expect(gate(result, 'order').status).toBe('fail');
    expect(gate(result, 'order').reason).toBe('2 of 2 runs reported no tests (seed 1 exited with code 4, seed 2 exited with code 4), so order was not checked.');
    expect(result.exitCode).toBe(1);
  });
});

describe('quality-gate on real jest reports', () => {
  test('reads jest-junit and three coverage formats', async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-gate-jest-'));
    fs.cpSync(path.join(fixtures, 'jest-reports'), workspace, { recursive: true });
    const result = await runAction({
      actionDirectory: action,
      workspace,
      inputs: { 'test-reports': 'junit.xml', 'coverage-reports': 'coverage/*', 'pass-rate-threshold': '60', 'coverage-metric': 'branch' },
      runPost: false,
    });
    fs.rmSync(workspace, { recursive: true, force: true });

    expect(result.outputs['total']).toBe('4');
    expect(result.outputs['failed']).toBe('1');
    expect(result.outputs['pass-rate']).toBe('66.67');
    // Branches: 3 of 8 in all three formats, combined per file instead of added up.
    expect(result.outputs['coverage']).toBe('37.50');
    expect(result.exitCode).toBe(0);
    expect(result.outputs['passed']).toBe('true');
  });
});

describe('quality-gate report handling', () => {
  let workspace: string;

  beforeAll(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-gate-reports-'));
    fs.cpSync(fixtures, path.join(workspace, 'fixtures'), { recursive: true });
  });

  afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

  test('skips file of another kind', async () => {
    const result = await runAction({
      actionDirectory: action,
      workspace,
      inputs: { 'test-reports': 'fixtures/handwritten/surefire-reruns.xml\nfixtures/jest-reports/coverage/cobertura-coverage.xml', 'pass-rate-threshold': '50' },
      runPost: false,
    });

    expect(result.warnings.some((message) => message.includes('cobertura-coverage.xml: it is a cobertura report'))).toBe(true);
    expect(result.outputs['total']).toBe('3');
    expect(result.outputs['flaky']).toBe('2');
    expect(result.exitCode).toBe(0);
  });

  test('glob matching nothing fails', async () => {
    const result = await runAction({ actionDirectory: action, workspace, inputs: { 'test-reports': 'missing/*.xml' }, runPost: false });

    expect(result.exitCode).toBe(1);
    expect(gate(result, 'reports').status).toBe('fail');
    expect(result.errors.some((message) => message.includes('test-reports matched no file with "missing/*.xml"'))).toBe(true);
  });

  test('no tests never pass', async () => {
    const result = await runAction({ actionDirectory: action, workspace, inputs: { 'test-reports': 'missing/*.xml', 'require-reports': 'false' }, runPost: false });

    expect(result.exitCode).toBe(1);
    expect(gate(result, 'pass-rate').status).toBe('fail');
    expect(result.outputs['pass-rate']).toBe('');
    expect(result.warnings.some((message) => message.includes('require-reports is false'))).toBe(true);
  });

  test('entity attacks are rejected', async () => {
    const result = await runAction({
      actionDirectory: action,
      workspace,
      inputs: { 'test-reports': 'fixtures/handwritten/billion-laughs.xml\nfixtures/handwritten/external-entity.xml' },
      runPost: false,
      timeoutMs: 20_000,
    });

    expect(result.exitCode).toBe(1);
    expect(result.errors.filter((message) => message.includes('the DOCTYPE declares entities'))).toHaveLength(2);
    expect(result.stdout).not.toContain('lollollol');
    expect(result.stdout).not.toContain('root:');
    expect(result.outputs['total']).toBe('0');
  });

  test('static analysis counts levels', async () => {
    const result = await runAction({
      actionDirectory: action,
      workspace,
      inputs: {
        'test-reports': 'fixtures/jest-reports/junit.xml',
        'sarif-reports': 'fixtures/static-analysis/*.sarif\nfixtures/static-analysis/*.json\nfixtures/static-analysis/*.jsonl',
        'pass-rate-threshold': '50',
        'max-errors': '3',
        'max-warnings': '1',
      },
      runPost: false,
    });

    // SARIF: 1 error, 1 warning, 1 note; bandit: 1 error, 1 warning, 2 notes; mypy: 2 errors, 1 note.
    expect(gate(result, 'static-analysis').reason).toBe('4 errors, 2 warnings and 4 notes found.');
    expect(gate(result, 'static-analysis').status).toBe('fail');
    expect(result.exitCode).toBe(1);
    const sarifAnnotation = result.annotations.find((entry) => entry.properties['title'] === 'CodeQL py/sql-injection');
    expect(sarifAnnotation?.properties['file']).toBe('app/db.py');
    expect(sarifAnnotation?.properties['line']).toBe('42');
  });

  test('invalid severity names the input', async () => {
    const result = await runAction({ actionDirectory: action, workspace, inputs: { 'test-reports': 'x.xml', 'coverage-severity': 'error' }, runPost: false });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['Input "coverage-severity" has an invalid value "error": expected one of fail, warn, off.']);
  });

  test('shell operator in test-command is rejected', async () => {
    const result = await runAction({ actionDirectory: action, workspace, inputs: { 'test-reports': 'x.xml', 'test-command': 'pytest | tee log' }, runPost: false });

    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('Input "test-command" contains the shell operator "|"');
  });
});

