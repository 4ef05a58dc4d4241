// Smoke-test concurrency: 50 checks against a demo route that waits 200 ms,
// run by the smoke-test bundle (concurrency 50) and by the library alone,
// against 50 sequential curl calls, interleaved in the same run. Loopback only.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startDemoService } from '../packages/sandbox/src/demo/service.ts';
import { runAction } from '../packages/sandbox/src/runner/runner.ts';
import { readSmokeInputs } from '../packages/shared/src/smoke/inputs.ts';
import type { SmokeReport } from '../packages/shared/src/smoke/model.ts';
import { runSmokeTest } from '../packages/shared/src/smoke/runner.ts';
import { InputReader } from '../packages/shared/src/inputs.ts';
import { machineDescription, median, runCommand } from './measure.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const checkCount = 50;
const routeLatencyMs = 200;
const repetitions = 5;
const curlRepetitions = 3;
const curl = '/usr/bin/curl';

/** Measures 50 smoke checks with concurrency against 50 sequential curl calls. */
export default async function benchmarkSmokeTest(): Promise<string> {
  const demo = await startDemoService({ version: 'v1', faults: { routes: { '/health/live': { latencyMs: routeLatencyMs } } } });
  const checks = Array.from({ length: checkCount }, (_, index) => `- name: live ${index + 1}\n  path: /health/live\n  expect: { json: { $.status: healthy } }`).join('\n');
  const inputs: Record<string, string> = { 'base-url': demo.url, checks, concurrency: String(checkCount), timeout: '60s' };

  const bundle: number[] = [];
  const bundleChecks: number[] = [];
  const library: number[] = [];
  const sequentialCurl: number[] = [];
  try {
    for (let run = 0; run < repetitions; run++) {
      const timing = await timeBundle(inputs);
      bundle.push(timing.wallMs);
      bundleChecks.push(timing.checksMs);
      library.push(await timeLibrary(inputs));
      if (run < curlRepetitions) sequentialCurl.push(await timeCurl(`${demo.url}/health/live`));
    }
  } finally {
    await demo.stop();
  }

  const row = (name: string, samples: number[], runs: number): string => `| ${name} | ${runs} | ${(median(samples) / 1000).toFixed(2)} | ${median(samples) < 1000 ? 'met' : 'missed'} |`;
  return [
    '## Smoke test concurrency',
    '',
    `${checkCount} checks of \`GET /health/live\` against the demo service on 127.0.0.1, whose route waits`,
    `${routeLatencyMs} ms before answering. The bundle rows run \`actions/smoke-test/dist/main.js\` through the runner`,
    `harness with \`concurrency: ${checkCount}\`: "checks only" is the report's \`durationMs\` (first request to last`,
    'response), "whole step" adds the Node start, loading the toolkit and writing the reports. The library row',
    `calls \`runSmokeTest\` in the benchmark process. The curl row runs ${checkCount} \`${curl}\` calls one after`,
    'another, as a shell loop would. All rows are interleaved in the same run; each value is the median wall',
    `time. Target: the checks finish in under 1 s. Script: \`bench/smoke-test.bench.ts\`. Machine: ${machineDescription()}.`,
    '',
    '| method | runs | wall time (s) | under 1 s |',
    '| --- | --- | --- | --- |',
    row('smoke-test bundle, checks only', bundleChecks, repetitions),
    row('smoke-test bundle, whole step', bundle, repetitions),
    row('smoke-test library', library, repetitions),
    row(`${checkCount} sequential curl calls`, sequentialCurl, curlRepetitions),
  ].join('\n');
}

/** Times a whole step, and reads the checks' own wall time from the report's durationMs. */
async function timeBundle(inputs: Record<string, string>): Promise<{ wallMs: number; checksMs: number }> {
  const started = performance.now();
  const result = await runAction({ actionDirectory: path.join(root, 'actions/smoke-test'), inputs, runPost: false, timeoutMs: 60_000 });
  const wallMs = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`The smoke-test bundle failed:\n${result.stdout}\n${result.stderr}`);
  const report = JSON.parse(fs.readFileSync(result.outputs['report'] ?? '', 'utf8')) as SmokeReport;
  fs.rmSync(result.runnerTemp, { recursive: true, force: true });
  return { wallMs, checksMs: report.durationMs };
}

async function timeLibrary(inputs: Record<string, string>): Promise<number> {
  const config = await readSmokeInputs(new InputReader((name) => inputs[name] ?? '', os.tmpdir()));
  const started = performance.now();
  const report = await runSmokeTest(config, { info: () => {}, warning: () => {} });
  const elapsed = performance.now() - started;
  if (!report.passed) throw new Error(`The smoke-test library failed: ${JSON.stringify(report.checks.find((check) => check.outcome !== 'passed'))}`);
  return elapsed;
}

/** Times the curl calls one after another. They run asynchronously because the demo service responds from this process. */
async function timeCurl(url: string): Promise<number> {
  const started = performance.now();
  for (let call = 0; call < checkCount; call++) await runCommand(curl, ['-s', '-f', '-o', '/dev/null', '--max-time', '10', url]);
  return performance.now() - started;
}
