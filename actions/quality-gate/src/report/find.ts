import * as path from 'node:path';

import * as glob from '@actions/glob';

/** Returns the files matching glob patterns (relative to the workspace), sorted, without directories. */
export async function findFiles(patterns: readonly string[], workspace: string): Promise<string[]> {
  if (patterns.length === 0) return [];
  const absolute = patterns.map((pattern) => (pattern.startsWith('!') || path.isAbsolute(pattern) ? pattern : path.join(workspace, pattern)));
  const globber = await glob.create(absolute.join('\n'), { matchDirectories: false, followSymbolicLinks: true });
  const files = await globber.glob();
  return files.sort();
}
