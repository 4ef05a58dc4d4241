import { InputReader } from '@atom-actions/shared/inputs';
import { readRollbackInputs, type RollbackInputs } from '@atom-actions/shared/rollback/inputs';
import type { SmokeConfig } from '@atom-actions/shared/smoke/model';

/** The auto-rollback inputs, parsed and validated. */
export interface RollbackSettings extends RollbackInputs {
  /** Smoke test after the rollout, or undefined when `smoke-base-url` is empty. */
  smoke: SmokeConfig | undefined;
}

/** Reads and validates every input of the action. */
export async function readSettings(inputs: InputReader = new InputReader()): Promise<RollbackSettings> {
  const rollback = readRollbackInputs(inputs);
  const smoke = inputs.raw('smoke-base-url') === '' ? undefined : await readSmoke(inputs);
  return { ...rollback, smoke };
}

/** Loads the smoke-test input parser only when a smoke test is configured, to keep the start of a rollback short. */
async function readSmoke(inputs: InputReader): Promise<SmokeConfig> {
  const { readSmokeInputs } = await import('@atom-actions/shared/smoke/inputs');
  return readSmokeInputs(inputs, { prefix: 'smoke-' });
}
