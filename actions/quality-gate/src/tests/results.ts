import { nameOfKey, testIdentity } from './identity.ts';
import type { Outcome, TestRecord } from './model.ts';

/** One letter per outcome, so a test's attempts are stored as a short string. */
const outcomeCodes: Record<Outcome, string> = { passed: 'P', skipped: 'S', xfailed: 'X', failed: 'F', errored: 'E' };
const codeOutcomes: Record<string, Outcome> = { P: 'passed', S: 'skipped', X: 'xfailed', F: 'failed', E: 'errored' };
const severity: Record<Outcome, number> = { passed: 0, skipped: 1, xfailed: 1, failed: 2, errored: 3 };

/** Maximum number of failing tests whose messages are kept, so memory stays bounded on huge failing suites. */
const maxStoredMessages = 1_000;

/** What is kept of a test that failed or errored on some attempt: where it is and why it failed. */
interface FailureDetails {
  file?: string;
  line?: number;
  /** Report file of the latest record, to tell a pytest teardown record from a rerun. */
  lastSource: string;
  message?: string;
}

/** A test's result after all its attempts. */
export interface TestResult {
  name: string;
  file?: string;
  line?: number;
  outcome: Outcome;
  /** Every attempt, oldest first; the last one is the final result. */
  attempts: Outcome[];
  message: string;
}

/** Counts over unique tests on their final attempt. */
export interface TestCounts {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  xfailed: number;
  flaky: number;
  /** Every record read, including reruns. */
  records: number;
}

/**
 * Groups test records into tests and their attempts. A test's final attempt
 * decides its outcome, and a test that failed or errored on an earlier
 * attempt and passed on its final one is flaky. pytest writes a second
 * `testcase` when a test fails and its teardown errors too. So a teardown (or
 * setup) error record that directly follows a record of the same test in the
 * same file joins that attempt instead of counting as a rerun.
 */
export class TestResults {
  /** One code per attempt, oldest first, by test identity. Passing tests keep nothing else. */
  private readonly attempts = new Map<string, string>();
  private readonly details = new Map<string, FailureDetails>();
  /** One copy of each file name, because every record carries its own copy. */
  private readonly fileNames = new Map<string, string>();
  private records = 0;
  private storedMessages = 0;

  /** Adds one record. */
  add(record: TestRecord): void {
    this.records += 1;
    // A record without name and classname cannot be matched to another one, so each is a test of its own.
    const key = record.name === '' && record.classname === '' ? `\u0001unnamed test ${this.records}` : testIdentity(record);
    const codes = this.attempts.get(key) ?? '';
    let details = this.details.get(key);

    const code = outcomeCodes[record.outcome];
    const sameAttempt = record.phaseError === true && codes !== '' && details?.lastSource === record.source;
    if (sameAttempt) {
      const previous = codeOutcomes[codes.slice(-1)] as Outcome;
      const worse = severity[record.outcome] > severity[previous] ? code : outcomeCodes[previous];
      this.attempts.set(key, codes.slice(0, -1) + worse);
    } else if (record.priorAttempts.length === 0) {
      this.attempts.set(key, codes + code);
    } else {
      this.attempts.set(key, codes + record.priorAttempts.map((outcome) => outcomeCodes[outcome]).join('') + code);
    }

    const failing = record.outcome === 'failed' || record.outcome === 'errored' || record.priorAttempts.length > 0;
    if (details === undefined && !failing) return;
    details ??= { lastSource: record.source };
    this.details.set(key, details);
    this.keepMessage(details, record, sameAttempt);
    details.lastSource = record.source;
    if (record.file !== undefined) details.file = this.internFileName(record.file);
    if (record.line !== undefined) details.line = record.line;
  }

  /** Returns the counts over unique tests. */
  counts(): TestCounts {
    const counts: TestCounts = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, xfailed: 0, flaky: 0, records: this.records };
    for (const codes of this.attempts.values()) {
      counts.total += 1;
      counts[finalOutcome(codes)] += 1;
      if (isFlaky(codes)) counts.flaky += 1;
    }
    return counts;
  }

  /** Returns the tests whose final attempt failed or errored, in the order first seen. */
  failing(): TestResult[] {
    return this.select((codes) => {
      const outcome = finalOutcome(codes);
      return outcome === 'failed' || outcome === 'errored';
    });
  }

  /** Returns the tests that failed or errored and then passed on a later attempt. */
  flaky(): TestResult[] {
    return this.select(isFlaky);
  }

  /** Returns the final outcome of every test, by identity. */
  finalOutcomes(): Map<string, { name: string; outcome: Outcome }> {
    const outcomes = new Map<string, { name: string; outcome: Outcome }>();
    for (const [key, codes] of this.attempts) outcomes.set(key, { name: nameOfKey(key), outcome: finalOutcome(codes) });
    return outcomes;
  }

  private keepMessage(details: FailureDetails, record: TestRecord, sameAttempt: boolean): void {
    if (record.outcome !== 'failed' && record.outcome !== 'errored') return;
    if (details.message === undefined) {
      if (this.storedMessages >= maxStoredMessages) return;
      this.storedMessages += 1;
      details.message = record.message;
    } else if (sameAttempt) {
      details.message = `${details.message}\n${record.message}`;
    } else {
      details.message = record.message;
    }
  }

  private internFileName(file: string): string {
    const known = this.fileNames.get(file);
    if (known !== undefined) return known;
    this.fileNames.set(file, file);
    return file;
  }

  private select(predicate: (codes: string) => boolean): TestResult[] {
    const selected: TestResult[] = [];
    for (const [key, codes] of this.attempts) {
      if (!predicate(codes)) continue;
      const details = this.details.get(key);
      selected.push({
        name: nameOfKey(key),
        file: details?.file,
        line: details?.line,
        outcome: finalOutcome(codes),
        attempts: [...codes].map((code) => codeOutcomes[code] as Outcome),
        message: details?.message ?? '',
      });
    }
    return selected;
  }
}

function finalOutcome(codes: string): Outcome {
  return codeOutcomes[codes.slice(-1)] ?? 'passed';
}

function isFlaky(codes: string): boolean {
  return finalOutcome(codes) === 'passed' && /[FE]/.test(codes.slice(0, -1));
}
