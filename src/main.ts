import { run } from '@atom-actions/shared/run';

import { readSettings } from './settings.ts';

await run(async () => {
  const settings = await readSettings();

  // Loaded only after the inputs are valid, so a configuration error fails fast.
  const { execute } = await import('./execute.ts');
  await execute(settings);
});
