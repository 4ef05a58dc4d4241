/**
 * Test results as every test-report parser produces them. One `TestRecord` is
 * one execution record in a report (a JUnit `testcase`, a pytest-json-report
 * entry). Records of the same test are grouped into attempts later.
 */

/** The result of one attempt, from best to worst for the pass rate. */
export type Outcome = 'passed' | 'skipped' | 'xfailed' | 'failed' | 'errored';

/** One test execution record read from a report. */
export interface TestRecord {
  /** Class, module or describe path as the report names it; may be empty. */
  classname: string;
  name: string;
  /** Name of the enclosing suite, used for identity when classname is empty. */
  suite: string;
  file?: string;
  line?: number;
  outcome: Outcome;
  /** Failure or error message, capped in length; empty for other outcomes. */
  message: string;
  /** Seconds, when the report has it. */
  time?: number;
  /**
   * Earlier attempts that the report nested into this record, such as
   * Surefire's `flakyFailure` and `rerunFailure`, oldest first.
   */
  priorAttempts: Outcome[];
  /** The record is a pytest teardown or setup error that belongs to the record before it. */
  phaseError?: boolean;
  /** Report file the record came from. */
  source: string;
}

/** Receives records as a parser streams them, so no parser keeps a whole report in memory. */
export type RecordSink = (record: TestRecord) => void;

/** What a test-report parser returns besides the records it streamed. */
export interface TestReportSummary {
  /** Duration of the report in seconds, from its suites or its records; undefined when it has none. */
  seconds?: number;
  /** Number of tests declared by suite attributes, for reports that list no records. */
  declaredTests?: number;
  records: number;
}
