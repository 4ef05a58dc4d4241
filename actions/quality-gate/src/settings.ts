import { InputReader } from '@atom-actions/shared/inputs';

/** The atom-actions quality gate inputs, parsed and validated. */
export interface QualityGateSettings {
  testReports: string;
}

/** Reads and validates every input of the action. */
export function readSettings(inputs: InputReader = new InputReader()): QualityGateSettings {
  return {
    testReports: inputs.string('test-reports', { required: true }),
  };
}
