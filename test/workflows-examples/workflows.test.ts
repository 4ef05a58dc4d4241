import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';

import { parseDuration } from '@atom-actions/shared/duration';
import { InputReader } from '@atom-actions/shared/inputs';
import { readSmokeInputs } from '@atom-actions/shared/smoke/inputs';

import { workflowParseErrors } from '../helpers/github-parser.ts';
import {
  environmentName,
  examplesDirectory,
  listOwnActionSteps,
  listWorkflowFiles,
  readActionInputs,
  readWorkflow,
  type Workflow,
  type WorkflowJob,
  type WorkflowStep,
} from './workflow-files.ts';

const expectedFiles = ['ci.yml', 'deploy.yml', 'emergency-rollback.yml', 'lancedb-integration.yml', 'rollback.yml'];
const workflowFiles = listWorkflowFiles();
const workflowNames = workflowFiles.map((file) => path.basename(file));

/** Returns every step of every job that uses the given action. */
function stepsUsing(workflow: Workflow, action: string): WorkflowStep[] {
  return listOwnActionSteps(workflow)
    .filter((found) => found.action === action)
    .map((found) => found.step);
}

/** Returns the job whose key is `name`, failing the test when it is missing. */
function job(workflow: Workflow, name: string): WorkflowJob {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`job "${name}" not found; jobs: ${Object.keys(workflow.jobs).join(', ')}`);
  return found;
}

/** Returns the text of an example workflow, comments included. */
function readText(fileName: string): string {
  return fs.readFileSync(path.join(examplesDirectory, fileName), 'utf8');
}

describe('example workflows', () => {
  test('include every documented file', () => {
    expect(workflowNames).toEqual(expectedFiles);
  });

  test.each(workflowNames)('%s passes GitHub parser', (name) => {
    expect(workflowParseErrors(path.join(examplesDirectory, name))).toEqual([]);
  });

  test.each(workflowNames)('%s grants no permissions by default', (name) => {
    expect(readWorkflow(name).permissions).toEqual({});
  });

  test.each(workflowNames)('%s pins actions to major tags', (name) => {
    for (const job of Object.values(readWorkflow(name).jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses === undefined) continue;
        expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@v\d+$/);
      }
    }
  });

  test.each(workflowNames)('%s passes only declared inputs', (name) => {
    const steps = listOwnActionSteps(readWorkflow(name));

    for (const { job, step, action } of steps) {
      const declared = readActionInputs(action);
      const where = `${name}, job ${job}, step "${step.name ?? step.uses}", action ${action}`;

      const missing = Object.entries(declared)
        .filter(([, input]) => input.required === true && input.default === undefined)
        .map(([input]) => input)
        .filter((input) => !(input in (step.with ?? {})));
      expect({ where, missing }).toEqual({ where, missing: [] });

      const unknown = Object.keys(step.with ?? {}).filter((input) => !(input in declared));
      expect({ where, unknown }).toEqual({ where, unknown: [] });
    }
  });

  test.each(workflowNames)('%s inline smoke checks parse', async (name) => {
    const inline = listOwnActionSteps(readWorkflow(name)).flatMap(({ step, action }) => {
      const value = step.with?.[action === 'smoke-test' ? 'checks' : 'smoke-checks'];
      return typeof value === 'string' ? [value] : [];
    });

    for (const checks of inline) {
      const values: Record<string, string> = { 'base-url': 'https://staging.example.com', checks };
      const config = await readSmokeInputs(new InputReader((input) => values[input] ?? ''));
      expect(config.checks.length).toBeGreaterThan(0);
    }
  });

});

describe('deploy.yml', () => {
  const workflow = readWorkflow('deploy.yml');

  test('deploys staging on push to main', () => {
    expect(workflow.on.push).toEqual({ branches: ['main'] });
    expect(environmentName(job(workflow, 'deploy-staging'))).toBe('staging');
    expect(stepsUsing(workflow, 'verify')).not.toHaveLength(0);
  });

  test('dispatch takes an environment input', () => {
    const dispatch = workflow.on.workflow_dispatch as { inputs: Record<string, { type: string; options: string[] }> };
    expect(dispatch.inputs.environment?.type).toBe('choice');
    expect(dispatch.inputs.environment?.options).toEqual(['staging', 'production']);
  });

  test('concurrency is per environment', () => {
    expect(workflow.concurrency?.group).toContain('inputs.environment');
    expect(workflow.concurrency?.['cancel-in-progress']).toBe(false);
  });

  test('migration backs up and upgrades', () => {
    const runs = (job(workflow, 'migrate').steps ?? []).map((step) => step.run ?? '').join('\n');
    expect(runs).toContain('pg_dump');
    expect(runs).toContain('alembic upgrade head');
    expect(job(workflow, 'deploy-staging').needs).toContain('migrate');
    expect(job(workflow, 'canary-start').needs).toContain('migrate');
  });

  test('comments document the downgrade path', () => {
    const text = readText('deploy.yml');
    expect(text).toContain('alembic downgrade -1');
    expect(text).toContain('pg_restore');
  });

  test('failed staging deploy rolls back and notifies', () => {
    const rollback = job(workflow, 'rollback-staging');
    expect(rollback.if).toContain('failure()');
    expect(rollback.needs).toContain('deploy-staging');

    const uses = (rollback.steps ?? []).map((step) => step.uses);
    expect(uses).toContain('atom-org/atom-actions/auto-rollback@v1');
    expect(uses).toContain('atom-org/atom-actions/notify@v1');
  });

  test('canary starts at 10% without approval', () => {
    const start = job(workflow, 'canary-start');
    expect(environmentName(start)).not.toBe('production');

    const [step] = (start.steps ?? []).filter((candidate) => candidate.uses === 'atom-org/atom-actions/canary-promote@v1');
    expect(step?.with?.action).toBe('start');
    expect(String(step?.with?.steps).split(',')[0]).toBe('10');
  });

  test('production job waits for approval', () => {
    const promote = job(workflow, 'canary-promote');
    expect(environmentName(promote)).toBe('production');
    expect(promote.needs).toContain('canary-start');

    const actions = (promote.steps ?? [])
      .filter((step) => step.uses === 'atom-org/atom-actions/canary-promote@v1')
      .map((step) => step.with?.action);
    expect(actions).toEqual(['advance', 'promote']);
  });

  test('canary steps share one traffic router', () => {
    const routers = stepsUsing(workflow, 'canary-promote').map((step) => step.with?.['traffic-router']);
    expect(routers).toHaveLength(4);
    expect(new Set(routers)).toEqual(new Set(['nginx']));
  });

  test('unpromoted canary is aborted', () => {
    const abort = job(workflow, 'canary-abort');
    expect(abort.if).toContain('always()');
    expect(abort.needs).toEqual(['canary-start', 'canary-promote']);
    expect(environmentName(abort)).not.toBe('production');

    const [step] = (abort.steps ?? []).filter((candidate) => candidate.uses === 'atom-org/atom-actions/canary-promote@v1');
    expect(step?.with?.action).toBe('abort');
  });
});

describe('rollback.yml', () => {
  const workflow = readWorkflow('rollback.yml');
  const dispatch = workflow.on.workflow_dispatch as { inputs: Record<string, { required?: boolean }> };

  test('dispatch takes the runbook inputs', () => {
    expect(Object.keys(dispatch.inputs)).toEqual(['environment', 'to-revision', 'reason']);
    expect(dispatch.inputs['to-revision']?.required).toBe(false);
    expect(dispatch.inputs.reason?.required).toBe(true);
  });

  test('rolls back, then verifies', () => {
    const uses = (job(workflow, 'rollback').steps ?? []).map((step) => step.uses);
    expect(uses).toEqual(['atom-org/atom-actions/auto-rollback@v1', 'atom-org/atom-actions/smoke-test@v1']);

    const [rollback] = stepsUsing(workflow, 'auto-rollback');
    expect(rollback?.with?.['to-revision']).toBe('${{ inputs.to-revision }}');
    expect(rollback?.with?.reason).toBe('${{ inputs.reason }}');
  });

  test('notifies GitHub and Slack always', () => {
    const notify = job(workflow, 'notify');
    expect(notify.if).toContain('always()');
    expect(notify.permissions).toEqual({ issues: 'write' });

    const [step] = stepsUsing(workflow, 'notify');
    expect(step?.with?.event).toBe('rollback');
    expect(step?.with?.['github-token']).toBe('${{ secrets.GITHUB_TOKEN }}');
    expect(step?.with?.['slack-token']).toBeDefined();
  });
});

describe('emergency-rollback.yml', () => {
  const workflow = readWorkflow('emergency-rollback.yml');

  test('every job stops after 3 minutes', () => {
    for (const definition of Object.values(workflow.jobs)) {
      expect(definition['timeout-minutes']).toBe(3);
    }
  });

  test('rollback timeout fits in the job', () => {
    const [rollback] = stepsUsing(workflow, 'auto-rollback');
    const timeoutMs = parseDuration(String(rollback?.with?.timeout));
    expect(timeoutMs).toBeDefined();
    expect(timeoutMs).toBeLessThan(3 * 60_000);
  });

  test('raises a P0 in the critical channel', () => {
    const [notify] = stepsUsing(workflow, 'notify');
    expect(notify?.if).toContain('always()');
    expect(notify?.with?.event).toBe('emergency-rollback');
    expect(notify?.with?.severity).toBe('P0');
    expect(notify?.with?.['slack-critical-channel']).toBeDefined();
    expect(notify?.with?.['github-token']).toBe('${{ secrets.GITHUB_TOKEN }}');
  });
});

describe('ci.yml', () => {
  const workflow = readWorkflow('ci.yml');
  const steps = job(workflow, 'quality-gate').steps ?? [];
  const runs = steps.map((step) => step.run ?? '').join('\n');

  test('tests run in random order with reruns', () => {
    expect(runs).toContain('-p random_order --random-order');
    expect(runs).toContain('--reruns');
    expect(runs).toContain('--cov');
    expect(runs).toContain('--junitxml=reports/junit.xml');
  });

  test('gate reads every report', () => {
    const [gate] = stepsUsing(workflow, 'quality-gate');
    expect(gate?.with?.['test-reports']).toBe('reports/junit.xml');
    expect(gate?.with?.['coverage-reports']).toBe('reports/coverage.xml');
    expect(gate?.with?.['sarif-reports']).toBe('reports/bandit.sarif');
  });

  test('bandit SARIF is uploaded', () => {
    expect(runs).toMatch(/bandit .*--format sarif --output reports\/bandit\.sarif/);

    const upload = steps.find((step) => step.uses === 'github/codeql-action/upload-sarif@v3');
    expect(upload?.with?.sarif_file).toBe('reports/bandit.sarif');
    expect(job(workflow, 'quality-gate').permissions?.['security-events']).toBe('write');
  });

  test('lint and type check run', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['lint', 'typecheck', 'quality-gate']);
  });
});

describe('lancedb-integration.yml', () => {
  const workflow = readWorkflow('lancedb-integration.yml');

  test('suite is gated by quality gate', () => {
    const steps = job(workflow, 'integration').steps ?? [];
    const runs = steps.map((step) => step.run ?? '').join('\n');
    expect(runs).toContain('pytest tests/integration/lancedb');
    expect(runs).toContain('--junitxml=reports/lancedb-junit.xml');

    const [gate] = stepsUsing(workflow, 'quality-gate');
    expect(gate?.with?.['test-reports']).toBe('reports/lancedb-junit.xml');
    expect(String(gate?.with?.['test-command'])).toContain('{report}');
  });
});

describe('workflows-examples/README.md', () => {
  const readme = fs.readFileSync(path.join(examplesDirectory, 'README.md'), 'utf8');

  test('names every example file', () => {
    for (const name of [...expectedFiles, 'prometheus/alerts.yml', 'grafana/deployment-overview.json']) {
      expect({ name, documented: readme.includes(name) }).toEqual({ name, documented: true });
    }
  });

  test.each(workflowNames)('documents secrets and variables of %s', (name) => {
    const references = new Set([...readText(name).matchAll(/\b(?:secrets|vars)\.([A-Z0-9_]+)/g)].map((match) => match[1] ?? ''));
    references.delete('GITHUB_TOKEN');

    for (const reference of references) {
      expect({ reference, documented: readme.includes(`\`${reference}\``) }).toEqual({ reference, documented: true });
    }
  });

  test('documents every environment', () => {
    // An expression such as `${{ inputs.environment == 'production' && 'production-rollout' || 'staging' }}`
    // names its environments as the string literals that are not compared with `==`.
    const environments = new Set<string>();
    for (const name of workflowNames) {
      for (const definition of Object.values(readWorkflow(name).jobs)) {
        const environment = environmentName(definition);
        if (environment === undefined) continue;
        if (!environment.includes('${{')) {
          environments.add(environment);
          continue;
        }
        for (const match of environment.matchAll(/(?<!== )'([\w-]+)'/g)) environments.add(match[1] ?? '');
      }
    }

    expect([...environments].sort()).toEqual(['production', 'production-rollout', 'staging']);
    for (const environment of environments) {
      expect({ environment, documented: readme.includes(`\`${environment}\``) }).toEqual({ environment, documented: true });
    }
  });
});
