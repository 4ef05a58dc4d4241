import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of the quality-gate fixtures. */
export const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Debian's Python, which has pytest with pytest-rerunfailures, pytest-random-order and pytest-cov. */
export const python = '/usr/bin/python3';

/** Copies the pytest fixture suite into a fresh workspace folder and returns its path. */
export function copyPytestSuite(): string {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-gate-pytest-'));
  fs.cpSync(path.join(fixtures, 'pytest-suite'), workspace, { recursive: true });
  fs.mkdirSync(path.join(workspace, 'reports'));
  return workspace;
}

/** Environment for pytest runs: no bytecode files, coverage data and cache inside the workspace. */
export function pytestEnvironment(workspace: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? workspace,
    PYTHONDONTWRITEBYTECODE: '1',
    COVERAGE_FILE: path.join(workspace, '.coverage'),
    QG_FLAKY_COUNTER: path.join(workspace, 'flaky-counter'),
  };
}

/**
 * Runs the pytest suite twice, as a CI job that retries failed tests does:
 * the first run writes reports/pytest-1.xml with coverage (Cobertura and
 * coverage.py JSON), the second reruns the failed tests with `--lf` into
 * reports/pytest-2.xml, where the flaky test passes. pytest exits 1 because
 * tests fail, which is expected.
 */
export function runPytestSuite(workspace: string): void {
  const env = pytestEnvironment(workspace);
  const common = ['-m', 'pytest', '-q', '-o', `cache_dir=${path.join(workspace, '.cache')}`, '-o', 'junit_family=xunit1', '-p', 'no:random_order'];
  const run = (args: string[]): void => {
    try {
      execFileSync(python, [...common, ...args], { cwd: workspace, env, stdio: 'pipe' });
    } catch (error) {
      if ((error as { status?: number }).status !== 1) throw error;
    }
  };

  run(['-p', 'no:rerunfailures', '--junitxml=reports/pytest-1.xml', '--cov=inventory', '--cov-branch', '--cov-report=xml:reports/coverage.xml', 'test_results.py', 'test_flaky.py']);
  execFileSync(python, ['-m', 'coverage', 'json', '-o', 'reports/coverage.json'], { cwd: workspace, env, stdio: 'pipe' });
  run(['-p', 'no:rerunfailures', '-p', 'no:cov', '--lf', '--junitxml=reports/pytest-2.xml', 'test_results.py', 'test_flaky.py']);
}
