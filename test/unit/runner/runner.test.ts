import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';

import { parseKeyValueFile } from '@atom-actions/sandbox/runner/file-commands';
import { runAction, startAction } from '@atom-actions/sandbox/runner/runner';
import { parseStdout } from '@atom-actions/sandbox/runner/stdout-commands';

import { repositoryRoot } from '../../helpers/actions.ts';

const fixture = path.join(repositoryRoot, 'test/fixtures/harness-action');

describe('runAction', () => {
  test('passes inputs as the runner does', async () => {
    const result = await runAction({ actionDirectory: fixture, inputs: { 'base-url': 'http://127.0.0.1:1' } });

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.outputs['echo'] ?? '{}')).toEqual({ baseUrl: 'http://127.0.0.1:1', retryCount: '3', mode: 'normal' });
    expect(result.outputs['multi']).toBe('line one\nline two');
  });

  test('collects summary, annotations and masks', async () => {
    const result = await runAction({ actionDirectory: fixture, inputs: { 'base-url': 'x' } });

    expect(result.summary).toBe('## Fixture summary\n');
    expect(result.warnings).toEqual(['careful\nnow']);
    expect(result.annotations[0]?.properties).toEqual({ file: 'src/a.ts', line: '7' });
    expect(result.masks).toEqual(['s3cret-value']);
    expect(result.log).toContain('plain log line');
  });

  test('runs post with saved state', async () => {
    const result = await runAction({ actionDirectory: fixture, inputs: { 'base-url': 'x' } });

    expect(result.state).toEqual({ phase: 'started' });
    expect(result.post?.exitCode).toBe(0);
    expect(result.post?.outputs['post-saw']).toBe('started');
  });

  test('skips post when asked', async () => {
    const result = await runAction({ actionDirectory: fixture, inputs: { 'base-url': 'x' }, runPost: false });

    expect(result.post).toBeUndefined();
  });

  test('cancel sends SIGINT then runs post', async () => {
    const step = startAction({ actionDirectory: fixture, inputs: { 'base-url': 'x', mode: 'wait-for-cancel' } });
    await new Promise<void>((resolve) => {
      step.child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('waiting')) resolve();
      });
    });

    step.cancel();
    const result = await step.result;

    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['cancelled by the runner']);
    expect(result.post?.outputs['post-saw']).toBe('cancelled');
  });
});

describe('runner file formats', () => {
  test('parseKeyValueFile reads both forms', () => {
    expect(parseKeyValueFile('a=1\nb<<X\nline\n\nmore\nX\nc=x=y\n')).toEqual({ a: '1', b: 'line\n\nmore', c: 'x=y' });
  });

  test('parseKeyValueFile rejects unterminated values', () => {
    expect(() => parseKeyValueFile('b<<X\nline\n')).toThrow('delimiter X not found');
  });

  test('parseStdout splits commands', () => {
    const parsed = parseStdout('::debug::d1\n::notice title=T::n\nhello\n::set-env name=x::y\n');
    expect(parsed.debug).toEqual(['d1']);
    expect(parsed.annotations).toEqual([{ level: 'notice', message: 'n', properties: { title: 'T' } }]);
    expect(parsed.log).toEqual(['hello', '::set-env name=x::y']);
  });
});
