import { ConfigurationError, invalidInput } from '@atom-actions/shared/errors';
import { InputReader, parseIntegerInput } from '@atom-actions/shared/inputs';

/** Action of a gate whose threshold is breached: fail the step, warn, or skip the gate. */
export type Severity = 'fail' | 'warn' | 'off';

const severities: readonly Severity[] = ['fail', 'warn', 'off'];

/** The quality gate's inputs, parsed and validated. */
export interface QualityGateSettings {
  testReports: string[];
  coverageReports: string[];
  sarifReports: string[];
  requireReports: boolean;
  passRate: { threshold: number; severity: Severity };
  flaky: { max: number; severity: Severity };
  order: OrderSettings;
  duration: { maxMilliseconds: number; severity: Severity; parallelReports: boolean };
  coverage: { threshold: number; metric: 'line' | 'branch'; severity: Severity };
  staticAnalysis: { maxErrors: number; maxWarnings: number | undefined; severity: Severity };
  maxAnnotations: number;
  workspace: string;
}

/** Settings of the order-independence gate; `command` is empty when the gate is skipped. */
export interface OrderSettings {
  /** The test command as an argument list, never a shell string. */
  command: string[];
  runs: number;
  seeds: number[];
  reportGlob: string;
  severity: Severity;
  workingDirectory: string;
}

/** Reads and validates every input of the action, in the order of action.yml. */
export async function readSettings(inputs: InputReader = new InputReader()): Promise<QualityGateSettings> {
  const testReports = splitLines(inputs.string('test-reports', { required: true }));
  const coverageReports = splitLines(inputs.string('coverage-reports'));
  const sarifReports = splitLines(inputs.string('sarif-reports'));
  const requireReports = inputs.boolean('require-reports', { default: true });
  const passRate = { threshold: inputs.percentage('pass-rate-threshold', { default: 98 }), severity: readSeverity(inputs, 'pass-rate-severity', 'fail') };
  const flaky = { max: inputs.integer('max-flaky', { default: 0 }, { min: 0 }), severity: readSeverity(inputs, 'flaky-severity', 'warn') };
  const order = await readOrderSettings(inputs);
  const duration = {
    maxMilliseconds: inputs.duration('max-duration', { default: '60m' }, { min: 1 }),
    severity: readSeverity(inputs, 'duration-severity', 'warn'),
    parallelReports: inputs.boolean('parallel-reports', { default: false }),
  };
  const coverage = {
    threshold: inputs.percentage('coverage-threshold', { default: 25 }),
    metric: inputs.choice('coverage-metric', ['line', 'branch'] as const, { default: 'line' }),
    severity: readSeverity(inputs, 'coverage-severity', 'warn'),
  };
  const staticAnalysis = {
    maxErrors: inputs.integer('max-errors', { default: 0 }, { min: 0 }),
    maxWarnings: inputs.raw('max-warnings') === '' ? undefined : parseIntegerInput('max-warnings', inputs.raw('max-warnings'), { min: 0 }),
    severity: readSeverity(inputs, 'static-analysis-severity', 'fail'),
  };
  const maxAnnotations = inputs.integer('max-annotations', { default: 10 }, { min: 0, max: 50 });
  const workspace = process.env['GITHUB_WORKSPACE'] ?? process.cwd();

  return { testReports, coverageReports, sarifReports, requireReports, passRate, flaky, order, duration, coverage, staticAnalysis, maxAnnotations, workspace };
}

async function readOrderSettings(inputs: InputReader): Promise<OrderSettings> {
  const command = await parseCommand(inputs.string('test-command'));
  const runs = inputs.integer('order-runs', { default: 2 }, { min: 2, max: 10 });
  const seeds = inputs.list('order-seeds').map((seed) => parseIntegerInput('order-seeds', seed, { min: 0, max: 2 ** 31 - 1 }));
  const reportGlob = inputs.string('order-report');
  const severity = readSeverity(inputs, 'order-severity', 'fail');
  const workingDirectory = inputs.string('working-directory', { default: '.' });
  return { command, runs, seeds, reportGlob, severity, workingDirectory };
}

function readSeverity(inputs: InputReader, name: string, fallback: Severity): Severity {
  return inputs.choice(name, severities, { default: fallback });
}

function splitLines(value: string): string[] {
  return value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * Splits `test-command` into arguments with shell-quote's parser, which
 * understands quotes and backslashes like a POSIX shell. Nothing is
 * executed through a shell: `$VARIABLES` stay literal, a glob pattern stays
 * one literal argument, and operators such as `|`, `&&` or `>` are rejected.
 */
async function parseCommand(value: string): Promise<string[]> {
  if (value === '') return [];
  // shell-quote is CommonJS: the bundle exposes its exports on `default`.
  const module = await import('shell-quote');
  const { parse } = (module as unknown as { default?: typeof module }).default ?? module;
  const tokens = parse(value, (name) => `$${name}`);
  const argv: string[] = [];

  for (const token of tokens) {
    if (typeof token === 'string') argv.push(token);
    else if ('op' in token && token.op === 'glob') argv.push(token.pattern);
    else {
      const shown = 'op' in token ? token.op : '#';
      throw new ConfigurationError(
        `Input "test-command" contains the shell operator ${JSON.stringify(shown)}, but the command runs without a shell: give one command with its arguments, or put the pipeline in a script and run that.`,
      );
    }
  }
  if (argv.length === 0) throw invalidInput('test-command', value, 'a command with its arguments');
  return argv;
}
