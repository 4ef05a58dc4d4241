/** A test runner whose random ordering the action recognises. */
export interface OrderingRunner {
  name: string;
  /** Returns the arguments that set the seed, or none when the command already sets one. */
  seedArguments(argv: readonly string[], seed: number): string[];
}

const randomOrder: OrderingRunner = {
  name: 'pytest-random-order',
  seedArguments: (argv, seed) => (argv.some((arg) => arg.startsWith('--random-order-seed')) ? [] : [`--random-order-seed=${seed}`]),
};

const randomly: OrderingRunner = {
  name: 'pytest-randomly',
  seedArguments: (argv, seed) => (argv.some((arg) => arg.startsWith('--randomly-seed')) ? [] : [`--randomly-seed=${seed}`]),
};

const jestRandomize: OrderingRunner = {
  name: 'jest --randomize',
  seedArguments: (argv, seed) => (argv.some((arg) => arg === '--seed' || arg.startsWith('--seed=')) ? [] : [`--seed=${seed}`]),
};

/**
 * Recognises the runner from the command's arguments: pytest-random-order
 * (`--random-order`, `--random-order-bucket`, `--random-order-seed`),
 * pytest-randomly (`-p randomly`, `--randomly-seed`) and `jest --randomize`.
 * Returns undefined for other commands, which run unchanged unless they use
 * the `{seed}` placeholder.
 */
export function recogniseRunner(argv: readonly string[]): OrderingRunner | undefined {
  if (argv.some((arg) => arg.startsWith('--random-order'))) return randomOrder;
  if (argv.some((arg, index) => arg.startsWith('--randomly-seed') || (arg === '-p' && argv[index + 1]?.startsWith('randomly')) || arg === '-prandomly')) return randomly;
  if (argv.includes('--randomize')) return jestRandomize;
  return undefined;
}

/** Patterns of the lines in which each runner prints the seed it used. */
const seedPatterns = [/Using --random-order-seed=(\d+)/, /Using --randomly-seed=(\d+)/, /^\s*Seed:\s+(-?\d+)\s*$/m];

/** Reads the seed a run printed, or undefined when its output names none. */
export function seedFromOutput(output: string): number | undefined {
  for (const pattern of seedPatterns) {
    const match = pattern.exec(output);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

/** Returns whether the command looks like pytest, which accepts `--junitxml=PATH`. */
export function isPytest(argv: readonly string[]): boolean {
  const program = argv[0] ?? '';
  return /(^|[\\/])(py\.test|pytest)$/.test(program) || argv.slice(0, 3).includes('pytest');
}
