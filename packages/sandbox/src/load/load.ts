import * as http from 'node:http';

/** How much traffic to send, and where. */
export interface LoadOptions {
  /** Full URL of each request, such as `http://127.0.0.1:8080/api/orders`. Must be a loopback address. */
  url: string;
  /** Requests started per second, spread evenly. */
  ratePerSecond: number;
  /** The generator stops by itself after this long, at most 10 minutes. */
  durationMs: number;
  /** Limit on one request in milliseconds. Default 5 s. */
  timeoutMs?: number;
  /** Response header whose value is counted per request, such as the backend that served it. */
  countHeader?: string;
}

/** Counts of one load run. */
export interface LoadReport {
  sent: number;
  completed: number;
  /** Responses per HTTP status. */
  statuses: Record<string, number>;
  /** Responses per value of `countHeader` ('' when the header was missing). */
  headerValues: Record<string, number>;
  /** Requests that got no response, per error code. */
  failures: Record<string, number>;
  durationMs: number;
}

/** A running load generator. */
export interface LoadGenerator {
  /** Resolves when the run ends by itself or after stop(). */
  done: Promise<LoadReport>;
  /** Stops sending, waits for requests in flight, and returns the report. */
  stop(): Promise<LoadReport>;
  /** The counts so far. */
  snapshot(): LoadReport;
}

const maxDurationMs = 10 * 60_000;
const maxRatePerSecond = 1000;
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Starts a bounded HTTP load generator: `ratePerSecond` GET requests per
 * second for at most `durationMs`. It refuses any target outside loopback,
 * because the sandbox never sends traffic to another machine.
 */
export function startLoad(options: LoadOptions): LoadGenerator {
  const target = new URL(options.url);
  if (!loopbackHosts.has(target.hostname)) throw new Error(`Load target ${options.url} is not a loopback address (127.0.0.1, localhost or ::1).`);
  if (!(options.ratePerSecond > 0 && options.ratePerSecond <= maxRatePerSecond)) throw new Error(`ratePerSecond must be above 0 and at most ${maxRatePerSecond}, got ${options.ratePerSecond}.`);

  const durationMs = Math.min(Math.max(0, options.durationMs), maxDurationMs);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const report: LoadReport = { sent: 0, completed: 0, statuses: {}, headerValues: {}, failures: {}, durationMs: 0 };
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const interval = 1000 / options.ratePerSecond;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let finish: () => void = () => {};
  const ended = new Promise<void>((resolve) => (finish = resolve));

  const tick = (): void => {
    const elapsed = performance.now() - started;
    if (stopped || elapsed >= durationMs) {
      finish();
      return;
    }
    // Catch up on requests a busy event loop delayed, so the rate holds on average.
    const due = Math.floor(elapsed / interval) + 1;
    while (report.sent < due) {
      report.sent++;
      const request = sendOne(target, agent, options, report);
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    timer = setTimeout(tick, Math.max(1, interval - (elapsed % interval)));
  };
  tick();

  const done = (async () => {
    await ended;
    if (timer) clearTimeout(timer);
    await Promise.all([...inFlight]);
    agent.destroy();
    report.durationMs = performance.now() - started;
    return report;
  })();

  return {
    done,
    stop: () => {
      stopped = true;
      finish();
      return done;
    },
    snapshot: () => ({ ...report, statuses: { ...report.statuses }, headerValues: { ...report.headerValues }, failures: { ...report.failures } }),
  };
}

function sendOne(target: URL, agent: http.Agent, options: LoadOptions, report: LoadReport): Promise<void> {
  return new Promise((resolve) => {
    const request = http.get(target, { agent, timeout: options.timeoutMs ?? 5000 }, (response) => {
      response.resume();
      response.on('end', () => {
        report.completed++;
        increment(report.statuses, String(response.statusCode));
        if (options.countHeader) increment(report.headerValues, String(response.headers[options.countHeader.toLowerCase()] ?? ''));
        resolve();
      });
      response.on('error', () => {
        increment(report.failures, 'response-error');
        resolve();
      });
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => {
      increment(report.failures, error.code ?? 'error');
      resolve();
    });
  });
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
