import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';

import { actionDirectory } from '../helpers/actions.ts';

const actions = ['verify', 'auto-rollback', 'canary-promote', 'notify', 'quality-gate', 'smoke-test'];

function bundleFiles(action: string): string[] {
  const dist = path.join(actionDirectory(action), 'dist');
  const chunks = path.join(dist, 'chunks');
  const top = fs.readdirSync(dist).filter((name) => name.endsWith('.js')).map((name) => path.join(dist, name));
  const nested = fs.existsSync(chunks) ? fs.readdirSync(chunks).filter((name) => name.endsWith('.js')).map((name) => path.join(chunks, name)) : [];
  return [...top, ...nested];
}

// An ESM import of a built-in makes Node read all of its exports. For node:http
// that loads undici at start, and for node:fs its streams. So the build takes
// built-ins from process.getBuiltinModule instead.
describe('committed bundles', () => {
  test.each(actions)('%s imports no built-in as ESM', (action) => {
    const offenders = bundleFiles(action).filter((file) => /(?:from|import)\s*["'](?:node:)?(?:fs|http|https|crypto|os|path|net|tls|stream|module)["']/.test(fs.readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  test.each(actions)('%s takes built-ins from getBuiltinModule', (action) => {
    const main = fs.readFileSync(path.join(actionDirectory(action), 'dist', 'main.js'), 'utf8');
    expect(main).toContain("process.getBuiltinModule('node:module').createRequire(import.meta.url)");
  });
});
