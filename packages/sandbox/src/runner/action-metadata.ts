import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

/** The parts of an `action.yml` that the runner uses to start a step. */
export interface ActionMetadata {
  name: string;
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

/** Reads `action.yml` (or `action.yaml`) from an action's folder. */
export function readActionMetadata(actionDirectory: string): ActionMetadata {
  const file = ['action.yml', 'action.yaml'].map((name) => path.join(actionDirectory, name)).find((candidate) => fs.existsSync(candidate));
  if (!file) throw new Error(`No action.yml in ${actionDirectory}`);

  const metadata = parse(fs.readFileSync(file, 'utf8')) as Partial<ActionMetadata>;
  if (!metadata.runs?.main) throw new Error(`${file} has no runs.main`);
  return {
    name: metadata.name ?? path.basename(actionDirectory),
    inputs: metadata.inputs ?? {},
    outputs: metadata.outputs ?? {},
    runs: metadata.runs,
  };
}
