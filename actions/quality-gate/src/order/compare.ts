import type { Outcome } from '../tests/model.ts';

/** One run of the test command. */
export interface OrderRun {
  /** The seed the runner reported, or the one the action passed; undefined when neither is known. */
  seed: number | undefined;
  exitCode: number;
  seconds: number;
  /** Final outcome per test identity. */
  outcomes: Map<string, { name: string; outcome: Outcome }>;
}

/** A test whose result differed between runs, with the seeds that reproduce each result. */
export interface OrderDependentTest {
  name: string;
  failingSeeds: (number | undefined)[];
  passingSeeds: (number | undefined)[];
}

/** The comparison of every run. */
export interface OrderOutcome {
  runs: OrderRun[];
  /** Tests that ran in every run. */
  compared: number;
  dependent: OrderDependentTest[];
}

/**
 * Compares outcomes per test across runs. A test that passed in one run and
 * failed or errored in another depends on the order. Skipped tests and
 * tests missing from some run are not compared.
 */
export function compareRuns(runs: OrderRun[]): OrderOutcome {
  const dependent: OrderDependentTest[] = [];
  let compared = 0;
  const first = runs[0];
  if (first === undefined) return { runs, compared, dependent };

  for (const [key, { name }] of first.outcomes) {
    const outcomes = runs.map((run) => run.outcomes.get(key)?.outcome);
    if (outcomes.some((outcome) => outcome === undefined)) continue;
    compared += 1;

    const failingSeeds = runs.filter((_, index) => outcomes[index] === 'failed' || outcomes[index] === 'errored').map((run) => run.seed);
    const passingSeeds = runs.filter((_, index) => outcomes[index] === 'passed').map((run) => run.seed);
    if (failingSeeds.length > 0 && passingSeeds.length > 0) dependent.push({ name, failingSeeds, passingSeeds });
  }
  return { runs, compared, dependent };
}
