import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterEach, describe, expect, test } from '@jest/globals';

import { repositoryRoot } from '../helpers/actions.ts';

let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function waitForReady(process: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    process.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (/^webhook /m.test(output)) resolve(output);
    });
    process.on('exit', (code) => reject(new Error(`receivers exited with ${code}: ${output}`)));
  });
}

describe('receivers command', () => {
  test('records requests and stops on SIGTERM', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'atom-receivers-'));
    child = spawn(process.execPath, [path.join(repositoryRoot, 'packages/sandbox/src/cli.ts'), 'receivers', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });

    const output = await waitForReady(child);
    expect(output.split('\n')[0]).toBe('ready');
    const slackUrl = /^slack (\S+)$/m.exec(output)?.[1] ?? '';
    expect(slackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    const response = await fetch(slackUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello' }) });
    expect(await response.text()).toBe('ok');

    const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const files = fs.readdirSync(out);
    expect(files).toEqual(['00001-slack.json']);
    const record = JSON.parse(fs.readFileSync(path.join(out, files[0] ?? ''), 'utf8')) as { service: string; json: unknown; status: number };
    expect(record).toMatchObject({ service: 'slack', json: { text: 'hello' }, status: 200 });
    fs.rmSync(out, { recursive: true, force: true });
  });
});
