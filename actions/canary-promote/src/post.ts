import { run } from '@atom-actions/shared/run';

import { readSettings } from './settings.ts';

// The main entry saves restore=true before it first moves traffic and
// restore=false once traffic is where it meant it to be (restored, promoted,
// or paused on purpose by start or advance for a later approval job).
await run(async () => {
  if (process.env['STATE_restore'] !== 'true') return;

  const settings = await readSettings();
  const { restoreAfterEarlyStop } = await import('./post-restore.ts');
  await restoreAfterEarlyStop(settings);
});
