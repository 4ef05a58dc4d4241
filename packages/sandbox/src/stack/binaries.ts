import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A program the demo needs and the Debian package that provides it. */
export interface RequiredProgram {
  name: string;
  debianPackage: string;
}

/** Prometheus and its Pushgateway, from Debian's packages. */
export const prometheusPrograms: readonly RequiredProgram[] = [
  { name: 'prometheus', debianPackage: 'prometheus' },
  { name: 'prometheus-pushgateway', debianPackage: 'prometheus-pushgateway' },
];

/** Returns the absolute path of a program found on PATH, or undefined. */
export function findOnPath(name: string, searchPath: string = process.env['PATH'] ?? ''): string | undefined {
  for (const directory of searchPath.split(path.delimiter)) {
    if (directory === '') continue;
    const candidate = path.join(directory, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here: try the next directory.
    }
  }
  return undefined;
}

/**
 * Returns the paths of the programs, installing the missing ones through
 * apt-get when this process runs as root on a Debian-like system. Throws
 * with the command to run by hand otherwise.
 */
export function ensurePrograms(programs: readonly RequiredProgram[], log: (line: string) => void): Record<string, string> {
  const missing = programs.filter((program) => !findOnPath(program.name));
  if (missing.length > 0) install(missing, log);

  const found: Record<string, string> = {};
  for (const program of programs) {
    const location = findOnPath(program.name);
    if (!location) throw new Error(`${program.name} is still not on PATH after installing ${program.debianPackage}.`);
    found[program.name] = location;
  }
  return found;
}

function install(missing: readonly RequiredProgram[], log: (line: string) => void): void {
  const packages = missing.map((program) => program.debianPackage);
  const manual = `Install them and run the demo again: sudo apt-get install ${packages.join(' ')} (Debian, Ubuntu), or put the official Prometheus release binaries on PATH.`;
  const canInstall = process.getuid?.() === 0 && findOnPath('apt-get');
  if (!canInstall) throw new Error(`The demo needs ${missing.map((program) => program.name).join(' and ')}, which are not on PATH. ${manual}`);

  log(`Installing ${packages.join(' ')} with apt-get (not on PATH)`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (error) {
    throw new Error(`apt-get could not install ${packages.join(' ')}: ${(error as Error).message}. ${manual}`);
  }
}
