import * as fs from 'node:fs';

import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';

/** Returns the errors GitHub's own parser reports for an `action.yml`. */
export function actionParseErrors(file: string): string[] {
  const result = parseAction({ name: file, content: fs.readFileSync(file, 'utf8') }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((error) => error.message);
}

/** Returns the errors GitHub's own parser reports for a workflow file. */
export function workflowParseErrors(file: string): string[] {
  const result = parseWorkflow({ name: file, content: fs.readFileSync(file, 'utf8') }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((error) => error.message);
}
