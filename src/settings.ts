import { InputReader } from '@atom-actions/shared/inputs';

/** The atom-actions verify inputs, parsed and validated. */
export interface VerifySettings {
  baseUrl: string;
}

/** Reads and validates every input of the action. */
export function readSettings(inputs: InputReader = new InputReader()): VerifySettings {
  return {
    baseUrl: inputs.string('base-url', { required: true }),
  };
}
