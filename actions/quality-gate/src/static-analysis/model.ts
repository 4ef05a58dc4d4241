/** SARIF's result levels; `none` results are not counted. */
export type FindingLevel = 'error' | 'warning' | 'note';

/** One static-analysis result. */
export interface Finding {
  tool: string;
  rule: string;
  level: FindingLevel;
  message: string;
  file?: string;
  line?: number;
}
