// Type-checks the repository, then bundles each action into its dist/ folder
// with esbuild (see README "Why esbuild"). Usage:
//   node scripts/build.mjs [--skip-typecheck] [--out-root DIR] [--action NAME ...]
// --out-root writes every dist/ under DIR instead, for the stale-bundle check.
// --action bundles only the named actions (verify is the root action).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import * as esbuild from 'esbuild';

import { entryPoints, listActions, repositoryRoot } from './actions.mjs';

const { values: options } = parseArgs({
  options: {
    'skip-typecheck': { type: 'boolean', default: false },
    'out-root': { type: 'string' },
    action: { type: 'string', multiple: true },
  },
});

const known = listActions().map((action) => action.name);
const unknown = (options.action ?? []).filter((name) => !known.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown action ${unknown.join(', ')}: expected one of ${known.join(', ')}.`);
  process.exit(2);
}
const selected = listActions().filter((action) => !options.action || options.action.includes(action.name));

if (!options['skip-typecheck']) {
  console.log('Type-checking with tsc');
  execFileSync(process.execPath, [path.join(repositoryRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: repositoryRoot,
    stdio: 'inherit',
  });
}

// An ESM bundle has no require(), but some CommonJS dependencies call it for optional
// packages left out of the bundle, such as ws for bufferutil, inside a try block.
const requireShim = "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);";

// Node 22 and 24 build the ESM namespace of a built-in by reading every export,
// which runs lazy getters. Importing node:http then loads the bundled undici
// (about 60 ms) and node:fs loads its streams (nodejs/node#59686). So the
// bundles take built-ins from process.getBuiltinModule, as CommonJS modules
// whose properties are read only where the code uses them.
const builtinModulesPlugin = {
  name: 'builtin-modules-without-esm-namespace',
  setup(build) {
    build.onResolve({ filter: /^[a-z0-9_:/]+$/ }, (args) => {
      const prefixed = args.path.startsWith('node:');
      if (!prefixed && !isBuiltin(args.path)) return undefined;
      return { path: prefixed ? args.path : `node:${args.path}`, namespace: 'node-builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

for (const action of selected) {
  const relative = path.relative(repositoryRoot, action.directory);
  const outdir = options['out-root'] ? path.join(options['out-root'], relative, 'dist') : path.join(action.directory, 'dist');
  fs.rmSync(outdir, { recursive: true, force: true });

  const result = await esbuild.build({
    entryPoints: entryPoints(action),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    treeShaking: true,
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'eof',
    charset: 'utf8',
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: requireShim },
    plugins: [builtinModulesPlugin],
    metafile: true,
    logLevel: 'warning',
  });

  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`Bundled ${action.name} into ${path.relative(repositoryRoot, outdir)} (${(bytes / 1024).toFixed(0)} KiB)`);
}
