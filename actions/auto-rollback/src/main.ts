import { errorMessage } from '@atom-actions/shared/errors';
import { run } from '@atom-actions/shared/run';

import { readSettings, type RollbackSettings } from './settings.ts';

await run(async () => {
  let settings: RollbackSettings;
  try {
    settings = await readSettings();
  } catch (error) {
    await reportInvalidInput(error);
    throw error;
  }

  // Loaded only after the inputs are valid, so a configuration error fails fast.
  const { execute } = await import('./execute.ts');
  await execute(settings);
});

/**
 * Sets `rolled-back` to false and `message` to the error, as for any failed
 * rollback, so that later steps can branch on them, and writes the error to
 * the job summary. A failure to write either is ignored, so that the step
 * reports the input error itself.
 */
async function reportInvalidInput(error: unknown): Promise<void> {
  try {
    const { setOutputs } = await import('@atom-actions/shared/file-commands');
    const { appendSummary, escapeCell, statusLabel } = await import('@atom-actions/shared/summary');
    setOutputs({ 'rolled-back': 'false', message: errorMessage(error) });
    await appendSummary(`## Rollback\n\n${statusLabel('fail')}: invalid input, so nothing was changed.\n\n${escapeCell(errorMessage(error))}`);
  } catch {
    // The input error is rethrown by the caller and is what the user needs to see.
  }
}
