import { run } from '@atom-actions/shared/run';

import { readSettings } from './settings.ts';

await run(async () => {
  // Invalid inputs fail here, before the worker starts.
  await readSettings();

  const { executeInWorker } = await import('./worker-host.ts');
  const exitCode = await executeInWorker();
  if (exitCode !== 0) process.exitCode = exitCode;
});
