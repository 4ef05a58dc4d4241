import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';

/** A server binary started by the sandbox, with the tail of its log for error messages. */
export interface ManagedProcess {
  child: ChildProcess;
  /** The last lines the process wrote to stdout and stderr. */
  logTail(): string;
  /** Sends SIGTERM, then SIGKILL after `graceMs`, and resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const maxLogLines = 40;

/** Starts a binary with its output captured, without a shell. */
export function startProcess(file: string, args: readonly string[]): ManagedProcess {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
    if (lines.length > maxLogLines) lines.splice(0, lines.length - maxLogLines);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    child,
    logTail: () => lines.join('\n'),
    stop: async (graceMs = 5000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Returns a TCP port on 127.0.0.1 that was free a moment ago. Another
 * process can take it before the caller binds it, so callers retry a failed
 * start with a new port.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `url` until it responds with 200, the process exits, or `timeoutMs`
 * passes. Throws with the process's last log lines when it does not become
 * ready.
 */
export async function waitUntilReady(process: ManagedProcess, url: string, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null || process.child.signalCode !== null) {
      throw new Error(`${name} exited with code ${process.child.exitCode ?? process.child.signalCode} before it was ready:\n${process.logTail()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await process.stop();
  throw new Error(`${name} was not ready at ${url} within ${timeoutMs} ms:\n${process.logTail()}`);
}
