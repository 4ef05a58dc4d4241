import * as fs from 'node:fs';

import { runAction, type StepResult } from '@atom-actions/sandbox/runner/runner';
import type { SmokeReport } from '@atom-actions/shared/smoke/model';

import { actionDirectory } from '../../helpers/actions.ts';

/** Inputs that keep retries short, so failing cases finish in well under a second of waiting. */
export const fastRetryInputs = { 'retry-delay': '50ms', retries: '2', timeout: '20s', 'request-timeout': '5s' };

/** Runs the smoke-test bundle through the runner harness. */
export function runSmokeAction(inputs: Record<string, string>, options: { workspace?: string } = {}): Promise<StepResult> {
  return runAction({ actionDirectory: actionDirectory('smoke-test'), inputs, workspace: options.workspace, runPost: false, timeoutMs: 60_000 });
}

/** Reads the JSON report whose path the action set as its `report` output. */
export function readReport(result: StepResult): SmokeReport {
  const file = result.outputs['report'];
  if (!file) throw new Error(`The step set no report output; stdout:\n${result.stdout}`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SmokeReport;
}

/** Returns stdout without the `::add-mask::` commands, which are the only lines allowed to carry a secret. */
export function stdoutWithoutMasks(result: StepResult): string {
  return result.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}
