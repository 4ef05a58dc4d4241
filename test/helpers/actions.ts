import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Returns the folder of an action: `verify` is the root action, the rest live under actions/. */
export function actionDirectory(name: string): string {
  return name === 'verify' ? repositoryRoot : path.join(repositoryRoot, 'actions', name);
}
