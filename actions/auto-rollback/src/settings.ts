import { InputReader } from '@atom-actions/shared/inputs';
import { readRollbackInputs, type RollbackInputs } from '@atom-actions/shared/rollback/inputs';
import { readSmokeInputs } from '@atom-actions/shared/smoke/inputs';
import type { SmokeConfig } from '@atom-actions/shared/smoke/model';

/** The auto-rollback inputs, parsed and validated. */
export interface RollbackSettings extends RollbackInputs {
  /** Smoke test after the rollout, or undefined when `smoke-base-url` is empty. */
  smoke: SmokeConfig | undefined;
}

/** Reads and validates every input of the action. */
export async function readSettings(inputs: InputReader = new InputReader()): Promise<RollbackSettings> {
  const rollback = readRollbackInputs(inputs);
  const smoke = inputs.raw('smoke-base-url') === '' ? undefined : await readSmokeInputs(inputs, { prefix: 'smoke-' });
  return { ...rollback, smoke };
}
