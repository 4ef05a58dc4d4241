import { InputReader } from '@atom-actions/shared/inputs';

/** The atom-actions canary promote inputs, parsed and validated. */
export interface CanarySettings {
  deployment: string;
}

/** Reads and validates every input of the action. */
export function readSettings(inputs: InputReader = new InputReader()): CanarySettings {
  return {
    deployment: inputs.string('deployment', { required: true }),
  };
}
