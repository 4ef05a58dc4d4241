import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';

import { runAction } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';

const actionNames = ['verify', 'smoke-test', 'canary-promote', 'auto-rollback', 'quality-gate', 'notify'];

function requiredInputs(name: string): string[] {
  const metadata = parse(fs.readFileSync(path.join(actionDirectory(name), 'action.yml'), 'utf8'));
  return Object.entries<{ required?: boolean; default?: string }>(metadata.inputs ?? {})
    .filter(([, definition]) => definition.required && definition.default === undefined)
    .map(([input]) => input);
}

describe.each(actionNames)('%s bundle', (name) => {
  test('missing required input fails fast', async () => {
    const required = requiredInputs(name);
    expect(required.length).toBeGreaterThan(0);

    const result = await runAction({ actionDirectory: actionDirectory(name), runPost: false, timeoutMs: 20_000 });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(required.some((input) => result.errors[0]?.includes(`"${input}"`))).toBe(true);
    expect(result.stdout).not.toMatch(/\bat .+:\d+:\d+/);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
