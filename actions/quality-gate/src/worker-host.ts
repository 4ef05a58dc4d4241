import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/** Young-generation limit of the worker in MiB, chosen on the 65 MiB report of `npm run bench -- quality-gate`. */
export const youngGenerationMiB = 4;

/**
 * Runs the action's work in a worker thread (dist/worker.js beside the main
 * bundle) and resolves with its exit code. Streaming a large report makes
 * short-lived strings quickly, and V8 then grows its young generation
 * towards the default maximum, which made up most of the peak memory. An
 * action cannot pass Node flags, but a worker takes resource limits.
 */
export function executeInWorker(): Promise<number> {
  const workerFile = path.join(path.dirname(process.argv[1] ?? ''), 'worker.js');
  const worker = new Worker(workerFile, { resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMiB } });

  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', resolve);
  });
}
