// Bundler choice: one file that imports @kubernetes/client-node, bundled by
// esbuild (as the build script does) and by @vercel/ncc, then loaded by Node.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

import { machineDescription, median, runCommand, timeCommand } from './measure.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repetitions = 11;

const probeSource = `import { KubeConfig, AppsV1Api } from '@kubernetes/client-node';
const config = new KubeConfig();
console.log(typeof config.makeApiClient, typeof AppsV1Api);
`;

interface Candidate {
  name: string;
  file: string;
}

/** Compares bundle size and load time of esbuild and ncc on a Kubernetes client import. */
export default async function benchmarkBundlers(): Promise<string> {
  const work = fs.mkdtempSync(path.join(root, 'node_modules', '.bench-bundlers-'));
  try {
    const probe = path.join(work, 'probe.mjs');
    fs.writeFileSync(probe, probeSource);
    const candidates = await buildCandidates(work, probe);

    const env = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
    const bare: number[] = [];
    const timings = new Map<string, number[]>(candidates.map((candidate) => [candidate.name, []]));
    for (let run = 0; run < repetitions; run++) {
      bare.push(timeCommand(process.execPath, ['-e', '0'], env));
      for (const candidate of candidates) timings.get(candidate.name)?.push(timeCommand(process.execPath, [candidate.file], env));
    }

    const rows = candidates.map((candidate) => {
      const bytes = folderBytes(path.dirname(candidate.file));
      const load = median(timings.get(candidate.name) ?? []);
      return `| ${candidate.name} | ${(bytes / 1024 / 1024).toFixed(2)} | ${load.toFixed(0)} | ${(load / median(bare)).toFixed(1)}x |`;
    });

    return [
      '## Bundler choice',
      '',
      'One module that imports `KubeConfig` and `AppsV1Api` from `@kubernetes/client-node`, bundled by each',
      `bundler and loaded with \`node\`; median of ${repetitions} runs, with \`node -e 0\` at ${median(bare).toFixed(0)} ms in the same run.`,
      'The build uses esbuild with code splitting, so the fail-fast path of each action does not load this at all.',
      `Machine: ${machineDescription()}.`,
      '',
      '| bundler | output (MB) | load (ms) | ratio to `node -e 0` |',
      '| --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function buildCandidates(work: string, probe: string): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (const minify of [false, true]) {
    const outfile = path.join(work, `esbuild${minify ? '-min' : ''}`, 'index.mjs');
    await esbuild.build({
      entryPoints: [probe],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      treeShaking: true,
      minify,
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'silent',
    });
    candidates.push({ name: `esbuild${minify ? ', minified' : ''}`, file: outfile });
  }

  const ncc = path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');
  for (const minify of [false, true]) {
    const outdir = path.join(work, `ncc${minify ? '-min' : ''}`);
    await runCommand(process.execPath, [ncc, 'build', probe, '-o', outdir, '--quiet', ...(minify ? ['-m'] : [])]);
    const file = ['index.mjs', 'index.js'].map((name) => path.join(outdir, name)).find((candidate) => fs.existsSync(candidate));
    if (file) candidates.push({ name: `@vercel/ncc${minify ? ', minified' : ''}`, file });
  }
  return candidates;
}

function folderBytes(folder: string): number {
  return fs.readdirSync(folder, { withFileTypes: true, recursive: true }).reduce((sum, entry) => {
    if (!entry.isFile()) return sum;
    return sum + fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }, 0);
}
