import * as core from '@actions/core';

import type { NotifySettings } from './settings.ts';

/** Runs the action described by the settings. */
export async function execute(settings: NotifySettings): Promise<void> {
  core.info(JSON.stringify(settings));
}
