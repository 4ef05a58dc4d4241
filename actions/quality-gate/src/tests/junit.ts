import { ReportError } from '../report/errors.ts';
import { appendCapped } from '../report/limits.ts';
import { streamXml } from '../report/xml-stream.ts';
import type { Outcome, RecordSink, TestReportSummary } from './model.ts';

/** Values of a `testcase` `status` attribute that mean the test did not run. */
const skippedStatuses = new Set(['disabled', 'skipped', 'notrun', 'not run', 'ignored']);

/** Surefire's elements for earlier attempts of a rerun test, and the outcome each stands for. */
const priorAttemptElements: Record<string, Outcome> = {
  flakyFailure: 'failed',
  flakyError: 'errored',
  rerunFailure: 'failed',
  rerunError: 'errored',
};

interface OpenTestCase {
  attributes: Record<string, string>;
  failure: boolean;
  error: boolean;
  skipped: boolean;
  xfail: boolean;
  message: string;
  /** The element whose text goes into the message, or undefined. */
  capturing: string | undefined;
  priorAttempts: Outcome[];
}

/**
 * Parses a JUnit XML report as a stream and sends each `testcase` to `sink`.
 * Accepts a `testsuites` or bare `testsuite` root, nested suites, missing
 * attributes and `time` values with commas as thousands separators.
 * Throws ReportError when the root is not a JUnit element or the XML is
 * malformed.
 */
export async function parseJUnit(file: string, sink: RecordSink): Promise<TestReportSummary> {
  const reader = new JUnitReader(file, sink);
  await streamXml(file, reader);
  return reader.summary();
}

class JUnitReader {
  private readonly file: string;
  private readonly sink: RecordSink;
  private depth = 0;
  private readonly suites: string[] = [];
  /** The open suites' names joined, kept up to date so each record does not rebuild it. */
  private suitePath = '';
  private rootTime: number | undefined;
  private topSuiteTime: number | undefined;
  private caseTime = 0;
  private rootDeclaredTests: number | undefined;
  private suiteDeclaredTests: number | undefined;
  private records = 0;
  private testCase: OpenTestCase | undefined;

  constructor(file: string, sink: RecordSink) {
    this.file = file;
    this.sink = sink;
  }

  openTag(name: string, attributes: Record<string, string>): void {
    this.depth += 1;
    if (this.depth === 1) this.openRoot(name, attributes);

    if (this.testCase) {
      this.openInsideTestCase(name, attributes);
    } else if (name === 'testsuite') {
      this.openSuite(attributes);
    } else if (name === 'testcase') {
      this.testCase = { attributes, failure: false, error: false, skipped: false, xfail: false, message: '', capturing: undefined, priorAttempts: [] };
    }
  }

  closeTag(name: string): void {
    this.depth -= 1;
    if (this.testCase) {
      if (name === 'testcase') this.closeTestCase();
      else if (name === this.testCase.capturing) this.testCase.capturing = undefined;
    } else if (name === 'testsuite') {
      this.suites.pop();
      this.suitePath = this.suites.join(' › ');
    }
  }

  text(text: string): void {
    const testCase = this.testCase;
    if (testCase?.capturing === undefined) return;
    testCase.message = appendCapped(testCase.message, text);
  }

  summary(): TestReportSummary {
    const seconds = this.rootTime ?? this.topSuiteTime ?? (this.records > 0 ? this.caseTime : undefined);
    return { seconds, declaredTests: this.rootDeclaredTests ?? this.suiteDeclaredTests, records: this.records };
  }

  private openRoot(name: string, attributes: Record<string, string>): void {
    if (name !== 'testsuites' && name !== 'testsuite') {
      throw new ReportError(this.file, `the root element is <${name}>, not <testsuites> or <testsuite>, so this is not a JUnit report.`);
    }
    if (name === 'testsuites') {
      this.rootTime = parseSeconds(attributes['time']);
      this.rootDeclaredTests = parseCount(attributes['tests']);
    }
  }

  private openSuite(attributes: Record<string, string>): void {
    const isTopLevel = this.suites.length === 0;
    this.suites.push(attributes['name'] ?? '');
    this.suitePath = this.suites.join(' › ');
    if (!isTopLevel) return;

    const seconds = parseSeconds(attributes['time']);
    if (seconds !== undefined) this.topSuiteTime = (this.topSuiteTime ?? 0) + seconds;
    const declared = parseCount(attributes['tests']);
    if (declared !== undefined) this.suiteDeclaredTests = (this.suiteDeclaredTests ?? 0) + declared;
  }

  private openInsideTestCase(name: string, attributes: Record<string, string>): void {
    const testCase = this.testCase as OpenTestCase;
    const priorOutcome = priorAttemptElements[name];
    if (priorOutcome !== undefined) {
      testCase.priorAttempts.push(priorOutcome);
      return;
    }
    if (name !== 'failure' && name !== 'error' && name !== 'skipped') return;

    if (name === 'skipped') {
      testCase.skipped = true;
      if (attributes['type'] === 'pytest.xfail') testCase.xfail = true;
      return;
    }
    if (name === 'failure') testCase.failure = true;
    else testCase.error = true;

    // The first failure or error gives the message; its body follows when the attribute is empty.
    if (testCase.message === '' && testCase.capturing === undefined) {
      const message = attributes['message'] ?? '';
      testCase.message = appendCapped('', message);
      if (message === '') testCase.capturing = name;
    }
  }

  private closeTestCase(): void {
    const testCase = this.testCase as OpenTestCase;
    this.testCase = undefined;
    this.records += 1;

    const attributes = testCase.attributes;
    const time = parseSeconds(attributes['time']);
    if (time !== undefined) this.caseTime += time;

    const outcome = caseOutcome(testCase);
    const message = outcome === 'failed' || outcome === 'errored' ? testCase.message.trim() : '';
    const line = parseCount(attributes['line']);
    this.sink({
      classname: attributes['classname'] ?? attributes['class'] ?? '',
      name: attributes['name'] ?? '',
      suite: this.suitePath,
      file: attributes['file'] || undefined,
      line: line !== undefined && line > 0 ? line : undefined,
      outcome,
      message,
      time,
      priorAttempts: testCase.priorAttempts,
      phaseError: outcome === 'errored' && /^failed on (teardown|setup) with /.test(message),
      source: this.file,
    });
  }
}

/** Picks the worst result a testcase element shows: error, then failure, then skipped. */
function caseOutcome(testCase: OpenTestCase): Outcome {
  if (testCase.error) return 'errored';
  if (testCase.failure) return 'failed';
  if (testCase.xfail) return 'xfailed';
  if (testCase.skipped) return 'skipped';
  const status = (testCase.attributes['status'] ?? '').toLowerCase();
  if (skippedStatuses.has(status)) return 'skipped';
  return 'passed';
}

/** Parses a time in seconds such as `12.5` or `1,234.5`; undefined when absent or not a number. */
export function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value.includes(',') ? value.replace(/,/g, '') : value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

function parseCount(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}
