import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { afterEach, describe, expect, jest, test } from '@jest/globals';

import { maskLog, runRunCommand } from '@atom-actions/sandbox/runner/cli';

import { repositoryRoot } from '../../helpers/actions.ts';

const fixture = path.join(repositoryRoot, 'test/fixtures/harness-action');

afterEach(() => {
  jest.restoreAllMocks();
});

describe('sandbox run command', () => {
  test('runs an action folder', async () => {
    const printed: string[] = [];
    jest.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });

    const exitCode = await runRunCommand([fixture, '--with', 'base-url=http://127.0.0.1:1', '--with', 'retry count=5']);

    expect(exitCode).toBe(0);
    expect(printed).toContain('Output echo: {"baseUrl":"http://127.0.0.1:1","retryCount":"5","mode":"normal"}');
    expect(printed.join('\n')).toContain('post ran after phase started');
    expect(printed.join('\n')).not.toContain('s3cret-value');
    const summaryLine = printed.find((line) => line.startsWith('Job summary: '));
    const runnerTemp = path.dirname(summaryLine?.slice('Job summary: '.length) ?? '');
    expect(fs.existsSync(path.join(runnerTemp, '.kept-by-sandbox-run'))).toBe(true);
  });

  test('maskLog hides masks and debug', () => {
    const text = '::add-mask::tok3n\n::debug::using tok3n\nsent tok3n to the server';
    expect(maskLog(text, ['tok3n'], false)).toBe('sent *** to the server');
    expect(maskLog(text, ['tok3n'], true)).toBe('::debug::using ***\nsent *** to the server');
  });

  test('Ctrl-C cancels then runs post', async () => {
    const cli = spawn(process.execPath, [path.join(repositoryRoot, 'packages/sandbox/src/cli.ts'), 'run', fixture, '--with', 'base-url=x', '--with', 'mode=wait-for-cancel'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    cli.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (chunk.includes('waiting')) cli.kill('SIGINT');
    });
    const exitCode = await new Promise<number | null>((resolve) => cli.on('close', resolve));

    expect(output).toContain('post ran after phase cancelled');
    expect(output).toContain('Exit code: 1');
    expect(exitCode).toBe(1);
  });

  test('rejects a pair without a value', async () => {
    await expect(runRunCommand([fixture, '--with', 'base-url'])).rejects.toThrow('--with "base-url" is invalid: expected NAME=VALUE');
  });

  test('rejects an unknown action', async () => {
    await expect(runRunCommand(['no-such-action'])).rejects.toThrow('no action.yml for "no-such-action"');
  });
});
