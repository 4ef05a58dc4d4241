import * as os from 'node:os';
import * as path from 'node:path';

import { InputReader } from '@atom-actions/shared/inputs';
import { readSmokeInputs } from '@atom-actions/shared/smoke/inputs';
import type { SmokeConfig } from '@atom-actions/shared/smoke/model';

/** The smoke-test inputs, parsed and validated. */
export interface SmokeTestSettings {
  smoke: SmokeConfig;
  failOnError: boolean;
  /** Absolute path of the JSON report. */
  reportPath: string;
  /** Absolute path of the JUnit XML report, or undefined for none. */
  junitPath?: string;
}

/** Reads and validates every input of the smoke-test action. */
export async function readSettings(inputs: InputReader = new InputReader()): Promise<SmokeTestSettings> {
  const smoke = await readSmokeInputs(inputs);
  const failOnError = inputs.boolean('fail-on-error', { default: true });
  const workspace = process.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const report = inputs.string('report');
  const junit = inputs.string('junit-report');

  return {
    smoke,
    failOnError,
    reportPath: report ? path.resolve(workspace, report) : path.join(process.env['RUNNER_TEMP'] ?? os.tmpdir(), 'smoke-test-report.json'),
    junitPath: junit ? path.resolve(workspace, junit) : undefined,
  };
}
