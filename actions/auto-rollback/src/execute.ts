import * as core from '@actions/core';

import type { RollbackSettings } from './settings.ts';

/** Runs the action described by the settings. */
export async function execute(settings: RollbackSettings): Promise<void> {
  core.info(JSON.stringify(settings));
}
