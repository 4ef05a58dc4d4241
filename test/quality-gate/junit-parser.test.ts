import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterAll, describe, expect, test } from '@jest/globals';

import { CapturedOutputFilter } from '../../actions/quality-gate/src/report/content-filter.ts';
import { ReportError } from '../../actions/quality-gate/src/report/errors.ts';
import { streamXml } from '../../actions/quality-gate/src/report/xml-stream.ts';
import { parseJUnit } from '../../actions/quality-gate/src/tests/junit.ts';
import type { TestRecord } from '../../actions/quality-gate/src/tests/model.ts';
import { parsePytestJson } from '../../actions/quality-gate/src/tests/pytest-json.ts';
import { TestResults } from '../../actions/quality-gate/src/tests/results.ts';
import { fixtures } from './helpers.ts';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-gate-junit-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = path.join(folder, name);
  fs.writeFileSync(file, content);
  return file;
}

async function records(file: string): Promise<TestRecord[]> {
  const collected: TestRecord[] = [];
  await parseJUnit(file, (record) => collected.push(record));
  return collected;
}

describe('JUnit parser', () => {
  test('reads bare testsuite with BOM', async () => {
    const file = write('bom.xml', '\uFEFF<?xml version="1.0"?><testsuite name="s" time="1,234.5"><testcase classname="c" name="t" time="0.5"/></testsuite>');
    const summary = await parseJUnit(file, () => undefined);

    expect(summary.seconds).toBe(1234.5);
    expect(summary.records).toBe(1);
  });

  test('tolerates NUL and control characters', async () => {
    const file = write('control.xml', '<testsuites><testsuite name="s"><testcase classname="c" name="t\u0000x"><failure message="bad \u001b[31mred">body\u0007</failure></testcase></testsuite></testsuites>');
    const [record] = await records(file);

    expect(record?.name).toBe('t\uFFFDx');
    expect(record?.outcome).toBe('failed');
    expect(record?.message).toBe('bad \uFFFD[31mred');
  });

  test('uses failure body when message is empty', async () => {
    const file = write('empty-failure.xml', '<testsuite><testcase name="a"><failure/></testcase><testcase name="b"><failure>line one\nline two</failure></testcase></testsuite>');
    const [first, second] = await records(file);

    expect(first?.outcome).toBe('failed');
    expect(first?.message).toBe('');
    expect(second?.message).toBe('line one\nline two');
  });

  test('names nested suites', async () => {
    const file = write('nested.xml', '<testsuites><testsuite name="outer" time="3"><testsuite name="inner" time="2"><testcase name="t"/></testsuite></testsuite></testsuites>');
    const collected: TestRecord[] = [];
    const summary = await parseJUnit(file, (record) => collected.push(record));

    expect(collected[0]?.suite).toBe('outer › inner');
    expect(summary.seconds).toBe(3);
  });

  test('drops huge system-out unread', async () => {
    const log = 'x'.repeat(1 << 20);
    const stream = fs.createWriteStream(path.join(folder, 'huge.xml'));
    stream.write('<testsuite name="s"><testcase name="t"><system-out><![CDATA[');
    for (let index = 0; index < 40; index += 1) stream.write(log);
    stream.write(']]></system-out></testcase><system-err>tail</system-err></testsuite>');
    await new Promise((resolve) => stream.end(resolve));

    let textSeen = 0;
    let cases = 0;
    await streamXml(path.join(folder, 'huge.xml'), {
      openTag: (name) => void (name === 'testcase' && (cases += 1)),
      closeTag: () => undefined,
      text: (text) => void (textSeen += text.length),
    });

    expect(cases).toBe(1);
    expect(textSeen).toBe(0);
  });

  test('rejects truncated XML', async () => {
    const file = write('truncated.xml', '<testsuites><testsuite name="s"><testcase name="t"><skipped');

    await expect(parseJUnit(file, () => undefined)).rejects.toThrow(ReportError);
  });

  test('rejects non-JUnit root', async () => {
    const file = write('other.xml', '<suites><suite/></suites>');

    await expect(parseJUnit(file, () => undefined)).rejects.toThrow('the root element is <suites>');
  });

  test('rejects billion laughs without expanding', async () => {
    const file = path.join(fixtures, 'handwritten', 'billion-laughs.xml');
    const collected: TestRecord[] = [];
    const before = process.memoryUsage().heapUsed;

    await expect(parseJUnit(file, (record) => collected.push(record))).rejects.toThrow('the DOCTYPE declares entities');
    expect(collected).toHaveLength(0);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });

  test('rejects external entity without reading it', async () => {
    const file = path.join(fixtures, 'handwritten', 'external-entity.xml');
    const collected: TestRecord[] = [];

    await expect(parseJUnit(file, (record) => collected.push(record))).rejects.toThrow('the DOCTYPE declares entities');
    expect(collected).toHaveLength(0);
  });

  test('keeps undefined entity literal', async () => {
    const file = write('undefined-entity.xml', '<testsuite><testcase name="uses &nbsp; here"/></testsuite>');
    const [record] = await records(file);

    expect(record?.name).toBe('uses &nbsp; here');
  });
});

describe('captured output filter', () => {
  test('drops content across chunk boundaries', () => {
    const xml = '<a><system-out>secret<b>x</b></system-out><system-err/><system-outside>kept</system-outside></a>';
    const filter = new CapturedOutputFilter();
    let output = '';
    for (const character of xml) output += filter.push(character);
    output += filter.flush();

    expect(output).toBe('<a><system-out></system-out><system-err/><system-outside>kept</system-outside></a>');
  });
});

describe('test attempts', () => {
  async function resultsOf(...files: string[]): Promise<TestResults> {
    const results = new TestResults();
    for (const file of files) {
      if (file.endsWith('.json')) await parsePytestJson(file, results.add.bind(results));
      else await parseJUnit(file, results.add.bind(results));
    }
    return results;
  }

  test('pytest teardown error is one attempt', async () => {
    const file = write(
      'teardown.xml',
      '<testsuite><testcase classname="m" name="t"><failure message="call failed"/></testcase><testcase classname="m" name="t"><error message="failed on teardown with &quot;boom&quot;"/></testcase></testsuite>',
    );
    const results = await resultsOf(file);

    expect(results.counts()).toMatchObject({ total: 1, errored: 1, flaky: 0, records: 2 });
    expect(results.failing()[0]?.attempts).toEqual(['errored']);
  });

  test('repeated records are reruns', async () => {
    const first = write('run-1.xml', '<testsuite><testcase classname="m" name="t"><failure message="no"/></testcase></testsuite>');
    const second = write('run-2.xml', '<testsuite><testcase classname="m" name="t"/></testsuite>');
    const results = await resultsOf(first, second);

    expect(results.counts()).toMatchObject({ total: 1, passed: 1, flaky: 1 });
    expect(results.flaky()[0]?.attempts).toEqual(['failed', 'passed']);
  });

  test('rerun ending in failure is not flaky', async () => {
    const first = write('rerun-1.xml', '<testsuite><testcase classname="m" name="t"/></testsuite>');
    const second = write('rerun-2.xml', '<testsuite><testcase classname="m" name="t"><failure message="no"/></testcase></testsuite>');
    const results = await resultsOf(first, second);

    expect(results.counts()).toMatchObject({ total: 1, failed: 1, flaky: 0 });
  });

  test('surefire flaky and rerun elements', async () => {
    const results = await resultsOf(path.join(fixtures, 'handwritten', 'surefire-reruns.xml'));

    expect(results.counts()).toMatchObject({ total: 3, passed: 2, failed: 1, flaky: 2 });
    expect(results.failing()[0]?.attempts).toEqual(['failed', 'failed']);
    expect(results.flaky().map((test) => test.attempts)).toEqual([
      ['failed', 'passed'],
      ['errored', 'passed'],
    ]);
  });

  test('pytest xfail and strict xpass', async () => {
    const file = write(
      'xfail.xml',
      '<testsuite><testcase classname="m" name="x"><skipped type="pytest.xfail" message="bug"/></testcase><testcase classname="m" name="s"><failure message="[XPASS(strict)] fix"/></testcase></testsuite>',
    );
    const results = await resultsOf(file);

    expect(results.counts()).toMatchObject({ total: 2, xfailed: 1, failed: 1, skipped: 0 });
  });

  test('pytest-json-report rerun is flaky', async () => {
    const results = await resultsOf(path.join(fixtures, 'handwritten', 'pytest-json-report.json'));

    expect(results.counts()).toMatchObject({ total: 5, passed: 2, failed: 1, skipped: 1, xfailed: 1, flaky: 1 });
    const [failing] = results.failing();
    expect(failing?.name).toBe('tests.test_api.TestOrders › test_create[json]');
    expect(failing?.message).toBe('AssertionError: status 500');
    expect(failing?.file).toBe('tests/test_api.py');
  });

  test('same identity across JUnit and JSON', async () => {
    const junit = write('same.xml', '<testsuite><testcase classname="tests.test_api" name="test_health"><failure message="down"/></testcase></testsuite>');
    const results = await resultsOf(junit, path.join(fixtures, 'handwritten', 'pytest-json-report.json'));

    expect(results.flaky().map((test) => test.name)).toContain('tests.test_api › test_health');
  });
});
