import { InputReader } from '@atom-actions/shared/inputs';

/** The atom-actions auto rollback inputs, parsed and validated. */
export interface RollbackSettings {
  deployments: string;
}

/** Reads and validates every input of the action. */
export function readSettings(inputs: InputReader = new InputReader()): RollbackSettings {
  return {
    deployments: inputs.string('deployments', { required: true }),
  };
}
