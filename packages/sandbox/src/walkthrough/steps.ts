import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runAction, type StepResult } from '../runner/runner.ts';

/** The repository root, where the actions' bundles are. */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The walkthrough's output folder and printer, and its step counter. */
export interface WalkthroughContext {
  /** Folder for job summaries and received notifications. */
  outputDirectory: string;
  print: (line: string) => void;
  /** Counts steps across scenarios, for file names. */
  stepNumber: number;
}

/** One workflow step: an action and its inputs, as a `uses:` step would give them. */
export interface Step {
  title: string;
  /** `verify` for the root action, else the folder name under actions/. */
  action: string;
  inputs: Record<string, string>;
  /** Extra environment, such as KUBECONFIG. */
  env?: Record<string, string>;
}

/** One line of what a step did, for the closing table. */
export interface StepRecord {
  title: string;
  action: string;
  exitCode: number | null;
  outputs: Record<string, string>;
  summaryFile: string;
}

/**
 * Runs a step's committed bundle through the runner harness, prints its
 * log with the step's title, saves its job summary, and returns the result.
 */
export async function runStep(context: WalkthroughContext, step: Step): Promise<{ result: StepResult; record: StepRecord }> {
  context.stepNumber++;
  const number = String(context.stepNumber).padStart(2, '0');
  context.print('');
  context.print(`── ${number}. ${step.title} (${step.action === 'verify' ? 'atom-org/atom-actions@v1' : `atom-org/atom-actions/${step.action}@v1`})`);

  const actionDirectory = step.action === 'verify' ? repositoryRoot : path.join(repositoryRoot, 'actions', step.action);
  const result = await runAction({ actionDirectory, inputs: step.inputs, env: step.env ?? {}, timeoutMs: 180_000 });

  for (const line of result.log) context.print(`   ${line}`);
  for (const warning of result.warnings) context.print(`   warning: ${warning.split('\n')[0]}`);
  for (const error of result.errors) context.print(`   error: ${error.split('\n')[0]}`);
  if (result.post) for (const line of result.post.log) context.print(`   post: ${line}`);
  context.print(`   → exit code ${result.exitCode}; outputs: ${formatOutputs(result.outputs)}`);

  const summaryFile = path.join(context.outputDirectory, 'summaries', `${number}-${slug(step.title)}.md`);
  fs.mkdirSync(path.dirname(summaryFile), { recursive: true });
  fs.writeFileSync(summaryFile, result.summary);
  fs.rmSync(result.runnerTemp, { recursive: true, force: true });

  return { result, record: { title: step.title, action: step.action, exitCode: result.exitCode, outputs: result.outputs, summaryFile } };
}

const shownOutputs = ['passed', 'decision', 'weight', 'rolled-back', 'from-revision', 'to-revision', 'failed-checks', 'issue-number', 'slack-ts'];

function formatOutputs(outputs: Record<string, string>): string {
  const shown = shownOutputs.filter((name) => outputs[name] !== undefined && outputs[name] !== '').map((name) => `${name}=${outputs[name]}`);
  return shown.length > 0 ? shown.join(', ') : '(none)';
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
