/** The sink of the checklist's progress lines: the step log in the action, an array in tests. */
export interface VerifyLog {
  info(message: string): void;
  warning(message: string): void;
}
