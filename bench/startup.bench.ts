// Fail-fast start: each bundle run with a required input missing, against a
// bare `node -e 0`, interleaved in the same run so both see the same load.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { machineDescription, median, timeCommand } from './measure.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundles = [
  ['verify (root action.yml)', 'dist/main.js'],
  ['smoke-test', 'actions/smoke-test/dist/main.js'],
  ['canary-promote', 'actions/canary-promote/dist/main.js'],
  ['auto-rollback', 'actions/auto-rollback/dist/main.js'],
  ['quality-gate', 'actions/quality-gate/dist/main.js'],
  ['notify', 'actions/notify/dist/main.js'],
] as const;
const repetitions = 21;

/** Measures the fail-fast start of every bundle as a ratio to `node -e 0`. */
export default async function benchmarkStartup(): Promise<string> {
  // Only PATH and HOME: no INPUT_* variable, so every action stops at its first required input.
  const env = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
  const rows: string[] = [];

  for (const [name, bundle] of bundles) {
    const script = path.join(root, bundle);
    if (!fs.existsSync(script)) continue;
    const bare: number[] = [];
    const action: number[] = [];
    for (let run = 0; run < repetitions; run++) {
      bare.push(timeCommand(process.execPath, ['-e', '0'], env));
      action.push(timeCommand(process.execPath, [script], env));
    }
    const ratio = median(action) / median(bare);
    rows.push(`| ${name} | ${median(action).toFixed(1)} | ${median(bare).toFixed(1)} | ${ratio.toFixed(2)}x | ${ratio <= 2 ? 'met' : 'missed'} |`);
  }

  return [
    '## Fail-fast start',
    '',
    'Each bundle runs with no inputs, so it exits 1 at its first required input; `node -e 0` runs',
    `just before it each time. Median of ${repetitions} interleaved runs; target at most 2x \`node -e 0\`.`,
    `Machine: ${machineDescription()}.`,
    '',
    '| bundle | bundle (ms) | `node -e 0` (ms) | ratio | target |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
