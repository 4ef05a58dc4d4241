import * as core from '@actions/core';

import { abortFromAnyState } from './lifecycle/abort-command.ts';
import { openSession } from './session.ts';
import type { CanarySettings } from './settings.ts';

/**
 * Restores stable routing after the main step stopped with traffic on the
 * canary (cancelled or failed): traffic back to stable and the canary
 * scaled to zero. It never rolls the stable Deployment back, even with
 * on-failure rollback, because nothing judged the stable version bad.
 */
export async function restoreAfterEarlyStop(settings: CanarySettings): Promise<void> {
  core.warning('The main step ended before the rollout finished: restoring stable routing.');
  const context = openSession({ ...settings, onFailure: 'abort' }, new AbortController().signal);
  const result = await abortFromAnyState(context, 'the job was cancelled or failed before the rollout finished');
  core.info(`Stable routing restored (canary weight ${result.weight}%).`);
}
