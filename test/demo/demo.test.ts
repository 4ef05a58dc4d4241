import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { beforeAll, describe, expect, test } from '@jest/globals';

import { runDemo } from '@atom-actions/sandbox/walkthrough/cli';
import type { ScenarioOutcome } from '@atom-actions/sandbox/walkthrough/scenarios';

describe('npm run demo', () => {
  const outputDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'atom-demo-'));
  const printed: string[] = [];
  let exitCode: number;
  let outcomes: ScenarioOutcome[];

  beforeAll(async () => {
    exitCode = await runDemo(['--output', outputDirectory], (line) => printed.push(line));
    outcomes = JSON.parse(fs.readFileSync(path.join(outputDirectory, 'outcomes.json'), 'utf8'));
  }, 300_000);

  const step = (scenario: number, title: string) => outcomes[scenario]?.steps.find((candidate) => candidate.title === title);

  test('ends as the story says', () => {
    expect(exitCode).toBe(0);
  });

  test('staging verify fails on v2', () => {
    expect(step(0, 'Verify staging')?.exitCode).toBe(1);
    expect(step(0, 'Verify staging')?.outputs['failed-checks']).toContain('pods: CrashLoopBackOff');
  });

  test('staging rolls back once to v1', () => {
    expect(step(0, 'Roll staging back')?.outputs['rolled-back']).toBe('true');
    expect(step(0, 'Roll staging back')?.outputs['to-revision']).toBe('1');
    expect(step(0, 'Verify staging after rollback')?.outputs['passed']).toBe('true');
  });

  test('faulty canary aborted', () => {
    const decision = step(0, 'Canary advance in production')?.outputs['decision'] ?? step(0, 'Canary start in production')?.outputs['decision'];
    expect(decision).toBe('aborted');
    expect(outcomes[0]?.conclusions[1]).toContain('"atom-canary":0');
  });

  test('healthy canary promoted and verified', () => {
    expect(step(1, 'Canary run in production')?.outputs['decision']).toBe('promoted');
    expect(step(1, 'Verify production')?.outputs['passed']).toBe('true');
  });

  test('summaries written per step', () => {
    const summaries = fs.readdirSync(path.join(outputDirectory, 'summaries'));
    const stepCount = outcomes.reduce((sum, outcome) => sum + outcome.steps.length, 0);
    expect(summaries).toHaveLength(stepCount);
    expect(fs.readFileSync(path.join(outputDirectory, 'summaries', summaries.find((name) => name.includes('verify-staging'))!), 'utf8')).toContain('CrashLoopBackOff');
  });

  test('notifications reach slack and github', () => {
    const slack = JSON.parse(fs.readFileSync(path.join(outputDirectory, 'notifications', 'slack.json'), 'utf8'));
    const issues = JSON.parse(fs.readFileSync(path.join(outputDirectory, 'notifications', 'github-issues.json'), 'utf8'));
    expect(slack).toHaveLength(3);
    expect(issues.map((issue: { title: string }) => issue.title)).toEqual([expect.stringContaining('Rolled back staging'), expect.stringContaining('Canary of v2 in production aborted')]);
  });

  test('prints where results went', () => {
    expect(printed.join('\n')).toContain(path.join(outputDirectory, 'summaries'));
    expect(printed.join('\n')).toContain(path.join(outputDirectory, 'notifications'));
  });
});
