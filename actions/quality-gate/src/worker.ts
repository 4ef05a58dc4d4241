import { run } from '@atom-actions/shared/run';

import { readSettings } from './settings.ts';

// The worker thread's entry point (dist/worker.js): the same work as main,
// started by main.ts with a capped young generation; see worker-host.ts.
await run(async () => {
  const settings = await readSettings();
  const { execute } = await import('./execute.ts');
  await execute(settings);
});
