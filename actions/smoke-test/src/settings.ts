import { InputReader } from '@atom-actions/shared/inputs';

/** The smoke-test inputs, parsed and validated. */
export interface SmokeTestSettings {
  baseUrl: URL;
}

/** Reads and validates every input of the smoke-test action. */
export function readSettings(inputs: InputReader = new InputReader()): SmokeTestSettings {
  return {
    baseUrl: inputs.url('base-url', { required: true }),
  };
}
