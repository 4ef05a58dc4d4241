import { displayName, testIdentity } from './identity.ts';
import type { Outcome, TestRecord } from './model.ts';

/** One letter per outcome, so a test's attempts are stored as a short string. */
const outcomeCodes: Record<Outcome, string> = { passed: 'P', skipped: 'S', xfailed: 'X', failed: 'F', errored: 'E' };
const codeOutcomes: Record<string, Outcome> = { P: 'passed', S: 'skipped', X: 'xfailed', F: 'failed', E: 'errored' };
const severity: Record<Outcome, number> = { passed: 0, skipped: 1, xfailed: 1, failed: 2, errored: 3 };

/** Maximum number of failing tests whose messages are kept, so memory stays bounded on huge failing suites. */
const maxStoredMessages = 1_000;

interface TestState {
  name: string;
  file?: string;
  line?: number;
  /** One code per attempt, oldest first. */
  attempts: string;
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
 * attempt and passed on its final one is flaky. A pytest teardown (or
 * setup) error record that directly follows a record of the same test in the
 * same file is the same attempt, not a rerun: pytest writes a second
 * `testcase` when a test fails and its teardown errors too.
 */
export class TestResults {
  private readonly tests = new Map<string, TestState>();
  private records = 0;
  private storedMessages = 0;

  /** Adds one record. */
  add(record: TestRecord): void {
    this.records += 1;
    // A record without name and classname cannot be matched to another one, so each is a test of its own.
    const anonymous = record.name === '' && record.classname === '';
    const key = anonymous ? `\u0001${this.records}` : testIdentity(record);
    let state = this.tests.get(key);
    if (state === undefined) {
      state = { name: anonymous ? `unnamed test ${this.records}` : displayName(record), attempts: '', lastSource: record.source };
      this.tests.set(key, state);
    }

    const code = outcomeCodes[record.outcome];
    const sameAttempt = record.phaseError === true && state.attempts !== '' && state.lastSource === record.source;
    if (sameAttempt) {
      const previous = codeOutcomes[state.attempts.slice(-1)] as Outcome;
      const worse = severity[record.outcome] > severity[previous] ? code : outcomeCodes[previous];
      state.attempts = state.attempts.slice(0, -1) + worse;
    } else {
      state.attempts += record.priorAttempts.map((outcome) => outcomeCodes[outcome]).join('') + code;
    }

    state.lastSource = record.source;
    if (record.file !== undefined) state.file = record.file;
    if (record.line !== undefined) state.line = record.line;
    this.keepMessage(state, record, sameAttempt);
  }

  /** Returns the counts over unique tests. */
  counts(): TestCounts {
    const counts: TestCounts = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, xfailed: 0, flaky: 0, records: this.records };
    for (const state of this.tests.values()) {
      counts.total += 1;
      const outcome = finalOutcome(state);
      counts[outcome] += 1;
      if (isFlaky(state)) counts.flaky += 1;
    }
    return counts;
  }

  /** Returns the tests whose final attempt failed or errored, in the order first seen. */
  failing(): TestResult[] {
    return this.select((state) => {
      const outcome = finalOutcome(state);
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
    for (const [key, state] of this.tests) outcomes.set(key, { name: state.name, outcome: finalOutcome(state) });
    return outcomes;
  }

  private keepMessage(state: TestState, record: TestRecord, sameAttempt: boolean): void {
    if (record.outcome !== 'failed' && record.outcome !== 'errored') return;
    if (state.message === undefined) {
      if (this.storedMessages >= maxStoredMessages) return;
      this.storedMessages += 1;
      state.message = record.message;
    } else if (sameAttempt) {
      state.message = `${state.message}\n${record.message}`;
    } else {
      state.message = record.message;
    }
  }

  private select(predicate: (state: TestState) => boolean): TestResult[] {
    const selected: TestResult[] = [];
    for (const state of this.tests.values()) {
      if (!predicate(state)) continue;
      selected.push({
        name: state.name,
        file: state.file,
        line: state.line,
        outcome: finalOutcome(state),
        attempts: [...state.attempts].map((code) => codeOutcomes[code] as Outcome),
        message: state.message ?? '',
      });
    }
    return selected;
  }
}

function finalOutcome(state: TestState): Outcome {
  return codeOutcomes[state.attempts.slice(-1)] ?? 'passed';
}

function isFlaky(state: TestState): boolean {
  return finalOutcome(state) === 'passed' && /[FE]/.test(state.attempts.slice(0, -1));
}
