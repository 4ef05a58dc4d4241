import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** File that `sandbox run` writes into the runner folders it keeps for inspection. */
const keptMarker = '.kept-by-sandbox-run';

/** Age after which a later `sandbox run` removes a kept runner folder. */
export const keptFolderMaxAgeMs = 24 * 60 * 60 * 1000;

/** Marks a runner folder as kept by `sandbox run`, so that a later run removes it once it is older than a day. */
export function markKept(runnerTemp: string): void {
  fs.writeFileSync(path.join(runnerTemp, keptMarker), '');
}

/**
 * Removes the runner folders (`atom-runner-*`) that an earlier `sandbox run`
 * kept and marked more than `maxAgeMs` ago, and returns their paths. Folders
 * without the mark, such as those of a test run or of a step still running,
 * stay.
 */
export function removeOldKeptFolders(directory: string = os.tmpdir(), maxAgeMs: number = keptFolderMaxAgeMs, now: number = Date.now()): string[] {
  const removed: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('atom-runner-')) continue;

    const folder = path.join(directory, entry.name);
    let markedAt: number;
    try {
      markedAt = fs.statSync(path.join(folder, keptMarker)).mtimeMs;
    } catch {
      continue;
    }
    if (now - markedAt <= maxAgeMs) continue;

    fs.rmSync(folder, { recursive: true, force: true });
    removed.push(folder);
  }
  return removed;
}
