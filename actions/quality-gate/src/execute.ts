import * as core from '@actions/core';

import type { QualityGateSettings } from './settings.ts';

/** Runs the action described by the settings. */
export async function execute(settings: QualityGateSettings): Promise<void> {
  core.info(JSON.stringify(settings));
}
