import * as core from '@actions/core';

import type { SmokeTestSettings } from './settings.ts';

/** Runs the smoke test described by the settings. */
export async function execute(settings: SmokeTestSettings): Promise<void> {
  core.info(`Smoke testing ${settings.baseUrl.href}`);
}
