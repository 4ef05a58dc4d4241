import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { UsageError } from '../usage-error.ts';
import { readActionMetadata } from './action-metadata.ts';
import { markKept, removeOldKeptFolders } from './kept-folders.ts';
import { startAction } from './runner.ts';
import { unescapeData } from './stdout-commands.ts';

/** Help text of the `run` subcommand. */
export const runUsage = `Usage: npm run sandbox -- run <action> [--with NAME=VALUE ...] [--env NAME=VALUE ...]

Runs an action's committed bundle the way GitHub's runner does: inputs as
INPUT_* variables with the defaults from action.yml, the GITHUB_* files, and
the post step when the action has one. Prints the step's log, its outputs and
where its job summary was written. Exits with the step's exit code.

<action> is verify (the root action), a folder name under actions/ such as
smoke-test, or the path of a folder that contains an action.yml.

Options:
  --with NAME=VALUE   an input, as under "with:" in a workflow (repeatable)
  --env NAME=VALUE    an environment variable for the step (repeatable)
  --workspace DIR     the job's workspace, where relative paths in inputs point (default: the folder
                      npm runs from, which is the repository root for npm run)
  --debug             also print ::debug:: lines, as step debug logging does
  --help              print this help

As on GitHub, values registered with ::add-mask:: print as ***.

Example:
  npm run sandbox -- run smoke-test --with base-url=http://127.0.0.1:8081 --with preset=atom \\
    --with username=demo --with password=demo-password`;

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Runs the `run` subcommand and resolves with the step's exit code. Throws UsageError for an invalid argument. */
export async function runRunCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      with: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      workspace: { type: 'string' },
      debug: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(runUsage);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expected one action, such as smoke-test; run with --help for the usage');

  const actionDirectory = resolveAction(positionals[0] ?? '');
  const inputs = parsePairs(values.with ?? [], '--with');
  const env = parsePairs(values.env ?? [], '--env');
  const workspace = path.resolve(values.workspace ?? process.cwd());
  warnUnexpectedInputs(actionDirectory, inputs);

  removeOldKeptFolders();
  const step = startAction({ actionDirectory, inputs, env, workspace, timeoutMs: 30 * 60_000 });
  const masks: string[] = [];
  const stdout = new MaskedLines(masks, values.debug === true, (text) => process.stdout.write(text));
  step.child.stdout?.on('data', (chunk: string) => stdout.push(chunk));

  // Ctrl-C reaches the step too; staying alive lets its post step run, as on a cancelled workflow.
  const onInterrupt = (): void => {
    console.error('\nCancelled: the step got SIGINT; its post step runs next, as on GitHub.');
    step.cancel();
  };
  process.once('SIGINT', onInterrupt);
  const result = await step.result.finally(() => process.off('SIGINT', onInterrupt));
  stdout.flush();

  masks.push(...(result.post?.masks ?? []));
  const show = (text: string): string => maskLog(text, masks, values.debug === true);
  if (result.stderr) process.stderr.write(show(result.stderr));
  if (result.post) process.stdout.write(show(result.post.stdout));

  markKept(result.runnerTemp);
  const summaryFile = path.join(result.runnerTemp, 'step-summary.md');
  console.log('');
  console.log(`Exit code: ${result.exitCode}`);
  for (const [name, value] of Object.entries(result.outputs)) console.log(show(`Output ${name}: ${value.length > 200 ? `${value.slice(0, 200)}…` : value}`));
  console.log(`Job summary: ${summaryFile}`);
  return result.exitCode ?? 1;
}

function resolveAction(name: string): string {
  const candidates = name === 'verify' ? [repositoryRoot] : [path.join(repositoryRoot, 'actions', name), path.resolve(name)];
  const found = candidates.find((candidate) => fs.existsSync(path.join(candidate, 'action.yml')));
  if (!found) {
    const known = ['verify', ...fs.readdirSync(path.join(repositoryRoot, 'actions'))].join(', ');
    throw new UsageError(`no action.yml for ${JSON.stringify(name)}: expected one of ${known}, or a folder with an action.yml`);
  }
  return found;
}

function parsePairs(pairs: readonly string[], option: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    if (separator <= 0) throw new UsageError(`${option} ${JSON.stringify(pair)} is invalid: expected NAME=VALUE`);
    result[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  return result;
}

/**
 * Returns step output as GitHub shows it: `::add-mask::` lines removed,
 * `::debug::` lines removed unless debug is on, and masked values as `***`.
 */
export function maskLog(text: string, masks: readonly string[], debug: boolean): string {
  const lines = text.split('\n').filter((line) => !line.startsWith('::add-mask::') && (debug || !line.startsWith('::debug::')));
  let shown = lines.join('\n');
  for (const mask of [...masks].filter((value) => value !== '').sort((a, b) => b.length - a.length)) shown = shown.split(mask).join('***');
  return shown;
}

/** Warns about inputs that action.yml does not declare, as GitHub's runner does. */
function warnUnexpectedInputs(actionDirectory: string, inputs: Record<string, string>): void {
  const declared = Object.keys(readActionMetadata(actionDirectory).inputs);
  const unexpected = Object.keys(inputs).filter((name) => !declared.includes(name));
  if (unexpected.length > 0) console.error(`warning: Unexpected input(s) ${unexpected.map((name) => `'${name}'`).join(', ')}; valid inputs are ${declared.join(', ')}.`);
}

/** Prints a stream of step output line by line, learning masks from `::add-mask::` lines as they arrive. */
class MaskedLines {
  private readonly masks: string[];
  private readonly debug: boolean;
  private readonly write: (text: string) => void;
  private partial = '';

  constructor(masks: string[], debug: boolean, write: (text: string) => void) {
    this.masks = masks;
    this.debug = debug;
    this.write = write;
  }

  push(chunk: string): void {
    const lines = `${this.partial}${chunk}`.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.print(line);
  }

  flush(): void {
    if (this.partial !== '') this.print(this.partial);
    this.partial = '';
  }

  private print(line: string): void {
    if (line.startsWith('::add-mask::')) this.masks.push(unescapeData(line.slice('::add-mask::'.length)));
    const shown = maskLog(line, this.masks, this.debug);
    if (shown !== '') this.write(`${shown}\n`);
  }
}
