import * as core from '@actions/core';

import type { VerifySettings } from './settings.ts';

/** Runs the action described by the settings. */
export async function execute(settings: VerifySettings): Promise<void> {
  core.info(JSON.stringify(settings));
}
