import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as core from '@actions/core';
import * as exec from '@actions/exec';
import { ConfigurationError } from '@atom-actions/shared/errors';

import { findFiles } from '../report/find.ts';
import { ReportError } from '../report/errors.ts';
import type { OrderSettings } from '../settings.ts';
import { parseJUnit } from '../tests/junit.ts';
import { TestResults } from '../tests/results.ts';
import { compareRuns, type OrderOutcome, type OrderRun } from './compare.ts';
import { isPytest, recogniseRunner, seedFromOutput } from './runners.ts';

/**
 * Runs the test command `settings.runs` times with different seeds through
 * @actions/exec (never a shell) and compares the outcome of each test.
 * Each run writes a JUnit report: to the `order-report` glob when given,
 * else to a fresh path passed as `{report}`, as `--junitxml` for pytest,
 * and in the QUALITY_GATE_REPORT and JEST_JUNIT_OUTPUT_FILE variables.
 *
 * NOTE: a run has no time limit of its own; the job's `timeout-minutes` bounds it.
 */
export async function runOrderChecks(settings: OrderSettings, workspace: string): Promise<OrderOutcome> {
  const runner = recogniseRunner(settings.command);
  const usesSeedPlaceholder = settings.command.some((arg) => arg.includes('{seed}'));
  if (!runner && !usesSeedPlaceholder) {
    core.warning('test-command uses no recognised random-order plugin and no {seed} placeholder, so every run may use the same order.');
  }

  const folder = fs.mkdtempSync(path.join(process.env['RUNNER_TEMP'] ?? os.tmpdir(), 'quality-gate-order-'));
  const runs: OrderRun[] = [];
  for (let index = 0; index < settings.runs; index += 1) {
    const seed = settings.seeds.length > 0 ? (settings.seeds[index % settings.seeds.length] as number) : randomInt(1, 2 ** 31 - 1);
    runs.push(await runOnce(settings, workspace, folder, index + 1, seed));
  }
  return compareRuns(runs);
}

async function runOnce(settings: OrderSettings, workspace: string, folder: string, number: number, seed: number): Promise<OrderRun> {
  const reportPath = path.join(folder, `run-${number}.xml`);
  const argv = buildArguments(settings, reportPath, seed);
  const [program, ...args] = argv as [string, ...string[]];
  const cwd = path.resolve(workspace, settings.workingDirectory);
  const started = Date.now();

  core.startGroup(`Order run ${number} of ${settings.runs} with seed ${seed}: ${argv.join(' ')}`);
  let result: exec.ExecOutput;
  try {
    result = await exec.getExecOutput(program, args, {
      cwd,
      ignoreReturnCode: true,
      env: { ...(process.env as Record<string, string>), QUALITY_GATE_REPORT: reportPath, QUALITY_GATE_SEED: String(seed), JEST_JUNIT_OUTPUT_FILE: reportPath },
    });
  } catch (error) {
    throw new ConfigurationError(`Input "test-command" could not start ${JSON.stringify(program)} in ${cwd}: ${(error as Error).message}`);
  } finally {
    core.endGroup();
  }

  const seconds = (Date.now() - started) / 1000;
  const printedSeed = seedFromOutput(`${result.stdout}\n${result.stderr}`);
  const results = new TestResults();
  for (const file of await reportsOfRun(settings, workspace, reportPath, started)) await parseJUnit(file, results.add.bind(results));

  const counts = results.counts();
  core.info(`Order run ${number}: exit code ${result.exitCode}, seed ${printedSeed ?? seed}, ${counts.passed} passed, ${counts.failed + counts.errored} failed, ${seconds.toFixed(1)}s.`);
  return { seed: printedSeed ?? seed, exitCode: result.exitCode, seconds, outcomes: results.finalOutcomes() };
}

/** Substitutes `{seed}` and `{report}`, adds the runner's seed option and, for pytest, `--junitxml`. */
function buildArguments(settings: OrderSettings, reportPath: string, seed: number): string[] {
  const usesReportPlaceholder = settings.command.some((arg) => arg.includes('{report}'));
  const argv = settings.command.map((arg) => arg.replaceAll('{seed}', String(seed)).replaceAll('{report}', reportPath));
  const runner = recogniseRunner(argv);
  if (runner && !settings.command.some((arg) => arg.includes('{seed}'))) argv.push(...runner.seedArguments(argv, seed));
  const writesJUnit = argv.some((arg) => arg.startsWith('--junitxml') || arg.startsWith('--junit-xml'));
  if (isPytest(argv) && !usesReportPlaceholder && settings.reportGlob === '' && !writesJUnit) argv.push(`--junitxml=${reportPath}`);
  return argv;
}

/** Returns the JUnit files a run wrote: the glob's files changed since the run started, or the run's own path. */
async function reportsOfRun(settings: OrderSettings, workspace: string, reportPath: string, started: number): Promise<string[]> {
  if (settings.reportGlob !== '') {
    const files = (await findFiles([settings.reportGlob], workspace)).filter((file) => fs.statSync(file).mtimeMs >= started - 1000);
    if (files.length === 0) throw new ReportError(settings.reportGlob, 'test-command wrote no JUnit report matching order-report during its run.');
    return files;
  }
  if (!fs.existsSync(reportPath)) {
    throw new ReportError(reportPath, 'test-command wrote no JUnit report there; pass {report} as the report path, read QUALITY_GATE_REPORT, or set order-report.');
  }
  return [reportPath];
}
