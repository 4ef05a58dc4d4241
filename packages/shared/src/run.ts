import { ConfigurationError, errorMessage } from './errors.ts';
import { writeDebug, writeError } from './workflow-commands.ts';

/**
 * Runs an action's entry point and turns its outcome into the step's exit
 * code. A ConfigurationError becomes one `::error::` line; any other Error
 * also logs its stack under debug; a thrown non-Error still fails the step.
 */
export async function run(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    reportFailure(error);
  }
}

function reportFailure(error: unknown): void {
  process.exitCode = 1;

  if (error instanceof ConfigurationError) {
    writeError(error.message);
    return;
  }

  if (error instanceof Error) {
    writeError(error.message);
    if (error.stack) writeDebug(error.stack);
    return;
  }

  writeError(`Unexpected failure: ${errorMessage(error)}`);
}
