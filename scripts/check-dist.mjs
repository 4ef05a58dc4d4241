// Fails when a committed dist/ differs from a fresh build of the same sources.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { listActions, repositoryRoot } from './actions.mjs';

const freshRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'atom-dist-'));
execFileSync(process.execPath, [path.join(repositoryRoot, 'scripts/build.mjs'), '--skip-typecheck', '--out-root', freshRoot], {
  stdio: ['ignore', 'ignore', 'inherit'],
});

const problems = [];
for (const action of listActions()) {
  const relative = path.join(path.relative(repositoryRoot, action.directory), 'dist');
  const committed = path.join(repositoryRoot, relative);
  const fresh = path.join(freshRoot, relative);
  const names = new Set([...listFiles(committed), ...listFiles(fresh)]);
  for (const name of names) {
    const a = readOrNull(path.join(committed, name));
    const b = readOrNull(path.join(fresh, name));
    if (a === null) problems.push(`${path.join(relative, name)} is missing from the commit`);
    else if (b === null) problems.push(`${path.join(relative, name)} is committed but no longer built`);
    else if (!a.equals(b)) problems.push(`${path.join(relative, name)} differs from a fresh build`);
  }
}
fs.rmSync(freshRoot, { recursive: true, force: true });

if (problems.length > 0) {
  console.error(`Stale bundles: run "npm run build" and commit the result.\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('Every committed dist/ matches a fresh build.');

function listFiles(directory, prefix = '') {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const name = path.join(prefix, entry.name);
    return entry.isDirectory() ? listFiles(path.join(directory, entry.name), name) : [name];
  });
}

function readOrNull(file) {
  return fs.existsSync(file) ? fs.readFileSync(file) : null;
}
