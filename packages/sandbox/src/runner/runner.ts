import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { readActionMetadata, type ActionMetadata } from './action-metadata.ts';
import { parseKeyValueFile } from './file-commands.ts';
import { parseStdout, type Annotation } from './stdout-commands.ts';

/** How to run one action step. */
export interface RunOptions {
  /** Folder that contains the action's `action.yml`. */
  actionDirectory: string;
  /** Inputs as a workflow's `with:` gives them; defaults from `action.yml` fill the rest. */
  inputs?: Record<string, string | number | boolean>;
  /** Extra environment variables for the step, as a workflow's `env:` gives them. */
  env?: Record<string, string>;
  /** The job's workspace; a fresh temporary folder by default. */
  workspace?: string;
  /** The webhook event payload written to `GITHUB_EVENT_PATH`. */
  event?: Record<string, unknown>;
  /** Kills the step (SIGKILL) after this many milliseconds. Default 120 s. */
  timeoutMs?: number;
  /** Runs the `post` entry after main when `action.yml` declares one. Default true. */
  runPost?: boolean;
}

/** The result of one entry point (main or post) of a step. */
export interface EntryResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  errors: string[];
  warnings: string[];
  masks: string[];
  debug: string[];
  log: string[];
}

/** The result of a whole step: main, and post when it ran. */
export interface StepResult extends EntryResult {
  post?: EntryResult;
  metadata: ActionMetadata;
  workspace: string;
  runnerTemp: string;
}

/** A step that is running; `cancel` sends SIGINT as the runner does when a workflow is cancelled. */
export interface RunningStep {
  child: ChildProcess;
  cancel(): void;
  result: Promise<StepResult>;
}

/**
 * Runs an action's committed bundle the way GitHub's runner does. Inputs
 * become `INPUT_<NAME>` (upper-cased, spaces to underscores, hyphens kept)
 * over the defaults from `action.yml`, beside the `GITHUB_*` files and
 * context variables. The `post` entry then runs with `STATE_*` from the
 * main entry's saved state.
 */
export function runAction(options: RunOptions): Promise<StepResult> {
  return startAction(options).result;
}

/** Starts a step and returns a handle to cancel it; see runAction. */
export function startAction(options: RunOptions): RunningStep {
  const metadata = readActionMetadata(options.actionDirectory);
  const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'atom-runner-'));
  const workspace = options.workspace ?? path.join(runnerTemp, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const files = createRunnerFiles(runnerTemp, options.event ?? {});
  const baseEnv = { ...contextEnvironment(workspace, runnerTemp, files), ...inputEnvironment(metadata, options.inputs ?? {}), ...(options.env ?? {}) };

  const mainScript = path.join(options.actionDirectory, metadata.runs.main);
  const main = spawnEntry(mainScript, baseEnv, workspace, options.timeoutMs ?? 120_000);

  const result = (async (): Promise<StepResult> => {
    const mainResult = await collectEntry(main, files);
    let post: EntryResult | undefined;
    if (metadata.runs.post && options.runPost !== false) {
      const postFiles = { ...files, output: path.join(runnerTemp, 'post-output') };
      fs.writeFileSync(postFiles.output, '');
      const stateEnv = Object.fromEntries(Object.entries(mainResult.state).map(([key, value]) => [`STATE_${key}`, value]));
      const postEnv = { ...baseEnv, ...stateEnv, GITHUB_OUTPUT: postFiles.output };
      const postScript = path.join(options.actionDirectory, metadata.runs.post);
      post = await collectEntry(spawnEntry(postScript, postEnv, workspace, options.timeoutMs ?? 120_000), postFiles);
    }
    return { ...mainResult, post, metadata, workspace, runnerTemp };
  })();

  return { child: main.child, cancel: () => main.child.kill('SIGINT'), result };
}

interface RunnerFiles {
  output: string;
  state: string;
  env: string;
  path: string;
  summary: string;
  event: string;
}

function createRunnerFiles(runnerTemp: string, event: Record<string, unknown>): RunnerFiles {
  const files: RunnerFiles = {
    output: path.join(runnerTemp, 'output'),
    state: path.join(runnerTemp, 'state'),
    env: path.join(runnerTemp, 'env'),
    path: path.join(runnerTemp, 'path'),
    summary: path.join(runnerTemp, 'step-summary.md'),
    event: path.join(runnerTemp, 'event.json'),
  };
  for (const file of [files.output, files.state, files.env, files.path, files.summary]) fs.writeFileSync(file, '');
  fs.writeFileSync(files.event, JSON.stringify(event));
  return files;
}

/** Builds the variables every step gets. API URLs point at a closed loopback port so nothing leaves the machine by default. */
function contextEnvironment(workspace: string, runnerTemp: string, files: RunnerFiles): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? os.homedir(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'atom-sandbox-runner',
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_REPOSITORY: 'atom-org/atom',
    GITHUB_REPOSITORY_OWNER: 'atom-org',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_ACTOR: 'release-manager',
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_JOB: 'deploy',
    GITHUB_RUN_ID: '1001',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_GRAPHQL_URL: 'http://127.0.0.1:9/graphql',
  };
}

/** Builds `INPUT_*` variables: the given inputs over the defaults in `action.yml`. */
export function inputEnvironment(metadata: ActionMetadata, inputs: Record<string, string | number | boolean>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, input] of Object.entries(metadata.inputs)) {
    if (input.default !== undefined) env[inputVariable(name)] = String(input.default);
  }
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = String(value);
  return env;
}

/** Returns the variable the runner sets for an input: `INPUT_` plus the name upper-cased, spaces to underscores. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

interface SpawnedEntry {
  child: ChildProcess;
  done: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function spawnEntry(script: string, env: Record<string, string>, cwd: string, timeoutMs: number): SpawnedEntry {
  const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);

  const done = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
  return { child, done };
}

async function collectEntry(entry: SpawnedEntry, files: RunnerFiles): Promise<EntryResult> {
  const { exitCode, signal, stdout, stderr } = await entry.done;
  const parsed = parseStdout(stdout);
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    outputs: parseKeyValueFile(fs.readFileSync(files.output, 'utf8')),
    state: parseKeyValueFile(fs.readFileSync(files.state, 'utf8')),
    exportedEnv: parseKeyValueFile(fs.readFileSync(files.env, 'utf8')),
    summary: fs.readFileSync(files.summary, 'utf8'),
    annotations: parsed.annotations,
    errors: parsed.annotations.filter((annotation) => annotation.level === 'error').map((annotation) => annotation.message),
    warnings: parsed.annotations.filter((annotation) => annotation.level === 'warning').map((annotation) => annotation.message),
    masks: parsed.masks,
    debug: parsed.debug,
    log: parsed.log,
  };
}
