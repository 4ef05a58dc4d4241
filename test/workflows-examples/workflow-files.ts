import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

import { actionDirectory, repositoryRoot } from '../helpers/actions.ts';

/** The folder of the example workflows. */
export const examplesDirectory = path.join(repositoryRoot, 'workflows-examples');

/** A workflow step, as far as the tests read it. */
export interface WorkflowStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

/** A workflow job, as far as the tests read it. */
export interface WorkflowJob {
  name?: string;
  if?: string;
  needs?: string | string[];
  environment?: string | { name: string; url?: string };
  'timeout-minutes'?: number;
  permissions?: Record<string, string>;
  steps?: WorkflowStep[];
}

/** A workflow file, as far as the tests read it. */
export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  permissions?: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}

/** Lists the workflow files directly under workflows-examples/ as absolute paths. */
export function listWorkflowFiles(): string[] {
  return fs
    .readdirSync(examplesDirectory)
    .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
    .sort()
    .map((name) => path.join(examplesDirectory, name));
}

/** Reads and parses one example workflow by file name, such as `deploy.yml`. */
export function readWorkflow(fileName: string): Workflow {
  return parse(fs.readFileSync(path.join(examplesDirectory, fileName), 'utf8')) as Workflow;
}

/** A step that uses one of this repository's actions. */
export interface OwnActionStep {
  job: string;
  step: WorkflowStep;
  /** `verify` for the root action, else the folder name under actions/. */
  action: string;
}

const ownActionPattern = /^atom-org\/atom-actions(?:\/([a-z-]+))?@v1$/;

/** Lists the steps of a workflow that use `atom-org/atom-actions...@v1`. */
export function listOwnActionSteps(workflow: Workflow): OwnActionStep[] {
  const found: OwnActionStep[] = [];
  for (const [job, definition] of Object.entries(workflow.jobs)) {
    for (const step of definition.steps ?? []) {
      const match = ownActionPattern.exec(step.uses ?? '');
      if (match) found.push({ job, step, action: match[1] ?? 'verify' });
    }
  }
  return found;
}

/** An input as action.yml declares it. */
export interface ActionInput {
  required?: boolean;
  default?: string;
}

/** Reads the inputs that an action's action.yml declares. */
export function readActionInputs(action: string): Record<string, ActionInput> {
  const file = path.join(actionDirectory(action), 'action.yml');
  const metadata = parse(fs.readFileSync(file, 'utf8')) as { inputs?: Record<string, ActionInput> };
  return metadata.inputs ?? {};
}

/** Returns the environment name of a job, from either form of `environment:`. */
export function environmentName(job: WorkflowJob): string | undefined {
  return typeof job.environment === 'string' ? job.environment : job.environment?.name;
}
