import * as core from '@actions/core';

import type { CanarySettings } from './settings.ts';

/** Runs the action described by the settings. */
export async function execute(settings: CanarySettings): Promise<void> {
  core.info(JSON.stringify(settings));
}
