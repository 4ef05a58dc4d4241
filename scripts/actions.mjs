// The actions of this repository and where their sources and bundles live.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Lists every action: the root verification action and each folder under actions/. */
export function listActions() {
  const folders = fs
    .readdirSync(path.join(repositoryRoot, 'actions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, directory: path.join(repositoryRoot, 'actions', entry.name) }));
  return [{ name: 'verify', directory: repositoryRoot }, ...folders].filter((action) =>
    fs.existsSync(path.join(action.directory, 'src', 'main.ts')),
  );
}

/**
 * Returns the entry points of an action: src/main.ts and, when present,
 * src/post.ts (the post step) and src/worker.ts (code main runs in a worker thread).
 */
export function entryPoints(action) {
  return ['main', 'post', 'worker']
    .map((name) => path.join(action.directory, 'src', `${name}.ts`))
    .filter((file) => fs.existsSync(file));
}
