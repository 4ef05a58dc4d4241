import { freePort, startProcess, waitUntilReady } from './process.ts';

/** A running Pushgateway on 127.0.0.1, without persistence. */
export interface SandboxPushgateway {
  url: string;
  /** Returns the text exposition of everything pushed so far (`GET /metrics`). */
  metrics(): Promise<string>;
  logTail(): string;
  stop(): Promise<void>;
}

const startAttempts = 3;

/** Starts a real Pushgateway (the Debian package's binary by default) on a free loopback port. */
export async function startPushgateway(options: { binary?: string; startTimeoutMs?: number } = {}): Promise<SandboxPushgateway> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= startAttempts; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const process = startProcess(options.binary ?? '/usr/bin/prometheus-pushgateway', [
      `--web.listen-address=127.0.0.1:${port}`,
      // Debian's build persists to /var/lib/prometheus by default, which would share pushes between runs.
      '--persistence.file=',
      '--log.level=warn',
    ]);
    try {
      await waitUntilReady(process, `${url}/-/ready`, 'Pushgateway', options.startTimeoutMs ?? 15_000);
      return {
        url,
        metrics: async () => (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text(),
        logTail: () => process.logTail(),
        stop: () => process.stop(),
      };
    } catch (error) {
      lastError = error;
      await process.stop();
    }
  }
  throw lastError;
}
