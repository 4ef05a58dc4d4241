/**
 * Writes the runner's environment files: step outputs to `GITHUB_OUTPUT` and
 * Markdown to `GITHUB_STEP_SUMMARY`. It follows the format `@actions/core`
 * 1.11 writes, without loading the toolkit (see workflow-commands.ts for why).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { EOL } from 'node:os';

import { formatCommand } from './workflow-commands.ts';

/**
 * Sets a step output. With `GITHUB_OUTPUT` set, appends a `name<<delimiter`
 * block with a random delimiter, so a value may span lines. Outside a runner
 * it writes the older `::set-output` command, as `@actions/core` does.
 * Throws when the output file is missing or the value contains the delimiter.
 */
export function setOutput(name: string, value: string): void {
  setOutputs({ [name]: value });
}

/** Sets several step outputs with one write to the output file; see setOutput. */
export function setOutputs(outputs: Readonly<Record<string, string>>): void {
  const file = process.env['GITHUB_OUTPUT'];
  if (!file) {
    for (const [name, value] of Object.entries(outputs)) process.stdout.write(`${EOL}${formatCommand('set-output', { name }, value)}${EOL}`);
    return;
  }

  const blocks = Object.entries(outputs).map(([name, value]) => {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`The value of output "${name}" contains the delimiter ${delimiter}`);
    return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
  });
  if (!fs.existsSync(file)) throw new Error(`The output file ${file} from GITHUB_OUTPUT does not exist`);
  fs.appendFileSync(file, blocks.join(''), 'utf8');
}

/**
 * Appends Markdown and a line break to the job summary file named by
 * `GITHUB_STEP_SUMMARY`. Does nothing outside a runner. Throws when the
 * file cannot be written.
 */
export function appendStepSummary(markdown: string): void {
  const file = process.env['GITHUB_STEP_SUMMARY'];
  if (!file) return;
  fs.appendFileSync(file, `${markdown}${EOL}`, 'utf8');
}
