import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort, startProcess, waitUntilReady, type ManagedProcess } from './process.ts';

/** One endpoint that Prometheus scrapes. */
export interface ScrapeTarget {
  /** Base URL of the service; Prometheus scrapes `<url>/metrics` unless `metricsPath` is set. */
  url: string;
  metricsPath?: string;
  /** Extra labels put on every series of this target, such as `{ role: 'canary' }`. */
  labels?: Record<string, string>;
}

/** How to start the sandbox Prometheus. */
export interface PrometheusOptions {
  /** Default 1000 ms, so that short test pauses see several samples. */
  scrapeIntervalMs?: number;
  targets?: readonly ScrapeTarget[];
  /** Path of the Prometheus binary. Default /usr/bin/prometheus (the Debian package). */
  binary?: string;
  /** Time allowed for Prometheus to become ready. Default 30 s. */
  startTimeoutMs?: number;
}

/** A running Prometheus on 127.0.0.1 with its data in a temporary folder. */
export interface SandboxPrometheus {
  url: string;
  scrapeIntervalMs: number;
  /** Replaces the scrape targets; Prometheus picks the file up within about a second. */
  setTargets(targets: readonly ScrapeTarget[]): void;
  /** Resolves when every current target has been scraped successfully at least once. */
  waitForTargets(timeoutMs?: number): Promise<void>;
  logTail(): string;
  /** Stops Prometheus and removes its data folder. */
  stop(): Promise<void>;
}

const startAttempts = 3;

/**
 * Starts a real Prometheus (2.42 from Debian in this sandbox) on a free
 * loopback port. Targets live in a file_sd file, so tests can add the
 * services they start later without restarting Prometheus.
 */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<SandboxPrometheus> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'atom-prometheus-'));
  const scrapeIntervalMs = options.scrapeIntervalMs ?? 1000;
  const targetsFile = path.join(directory, 'targets.json');
  writeTargets(targetsFile, options.targets ?? []);
  fs.writeFileSync(path.join(directory, 'prometheus.yml'), prometheusConfig(scrapeIntervalMs, targetsFile));

  let lastError: unknown;
  for (let attempt = 1; attempt <= startAttempts; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const process = startProcess(options.binary ?? '/usr/bin/prometheus', prometheusArguments(directory, port));
    try {
      await waitUntilReady(process, `${url}/-/ready`, 'Prometheus', options.startTimeoutMs ?? 30_000);
      return sandboxPrometheus(url, scrapeIntervalMs, targetsFile, directory, process);
    } catch (error) {
      lastError = error;
      await process.stop();
    }
  }
  fs.rmSync(directory, { recursive: true, force: true });
  throw lastError;
}

function sandboxPrometheus(url: string, scrapeIntervalMs: number, targetsFile: string, directory: string, process: ManagedProcess): SandboxPrometheus {
  let targets: readonly ScrapeTarget[] = JSON.parse(fs.readFileSync(targetsFile, 'utf8')).map(fromFileEntry);
  return {
    url,
    scrapeIntervalMs,
    setTargets(next) {
      targets = next;
      writeTargets(targetsFile, next);
    },
    waitForTargets: (timeoutMs = 15_000) => waitForHealthyTargets(url, () => targets, timeoutMs),
    logTail: () => process.logTail(),
    async stop() {
      await process.stop();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

function prometheusArguments(directory: string, port: number): string[] {
  return [
    `--config.file=${path.join(directory, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(directory, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=1h',
    '--log.level=warn',
  ];
}

function prometheusConfig(scrapeIntervalMs: number, targetsFile: string): string {
  const interval = `${scrapeIntervalMs}ms`;
  return [
    'global:',
    `  scrape_interval: ${interval}`,
    `  scrape_timeout: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'scrape_configs:',
    '  - job_name: sandbox',
    '    file_sd_configs:',
    `      - files: [${JSON.stringify(targetsFile)}]`,
    '        refresh_interval: 1s',
    '    relabel_configs:',
    '      - source_labels: [__metrics_path_override]',
    '        regex: (.+)',
    '        target_label: __metrics_path__',
    '',
  ].join('\n');
}

/** Writes the file_sd file atomically, so Prometheus never reads half a file. */
function writeTargets(file: string, targets: readonly ScrapeTarget[]): void {
  const entries = targets.map((target) => {
    const url = new URL(target.url);
    const labels: Record<string, string> = { ...(target.labels ?? {}), __scheme__: url.protocol.replace(':', '') };
    if (target.metricsPath) labels['__metrics_path_override'] = target.metricsPath;
    return { targets: [url.host], labels };
  });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(entries, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

function fromFileEntry(entry: { targets: string[]; labels: Record<string, string> }): ScrapeTarget {
  const { __scheme__: scheme = 'http', __metrics_path_override: metricsPath, ...labels } = entry.labels;
  return { url: `${scheme}://${entry.targets[0]}`, labels, ...(metricsPath ? { metricsPath } : {}) };
}

interface ActiveTarget {
  scrapeUrl: string;
  health: string;
}

async function waitForHealthyTargets(url: string, targets: () => readonly ScrapeTarget[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let unhealthy: string[] = [];
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(2000) });
    const body = (await response.json()) as { data: { activeTargets: ActiveTarget[] } };
    const healthy = new Set(body.data.activeTargets.filter((target) => target.health === 'up').map((target) => new URL(target.scrapeUrl).host));
    unhealthy = targets()
      .map((target) => new URL(target.url).host)
      .filter((host) => !healthy.has(host));
    if (unhealthy.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Prometheus at ${url} has not scraped ${unhealthy.join(', ')} within ${timeoutMs} ms.`);
}
