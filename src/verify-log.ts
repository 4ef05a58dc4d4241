/** Where the checklist writes its progress: the step log in the action, an array in tests. */
export interface VerifyLog {
  info(message: string): void;
  warning(message: string): void;
}
