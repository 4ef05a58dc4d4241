import { InputReader } from '@atom-actions/shared/inputs';

/** The atom-actions notify inputs, parsed and validated. */
export interface NotifySettings {
  event: string;
}

/** Reads and validates every input of the action. */
export function readSettings(inputs: InputReader = new InputReader()): NotifySettings {
  return {
    event: inputs.string('event', { required: true }),
  };
}
