import * as core from '@actions/core';

import type { Finding } from './static-analysis/model.ts';
import type { TestResult } from './tests/results.ts';

/**
 * Writes error annotations for failing tests, then for error-level findings,
 * at most `limit` in all, with the file and line where the report has them.
 * Returns how many were left out.
 */
export function annotate(failing: readonly TestResult[], findings: readonly Finding[], limit: number): number {
  let written = 0;
  for (const test of failing) {
    if (written >= limit) break;
    core.error(test.message || `The test ${test.outcome} without a message.`, { title: `${test.name} ${test.outcome}`, file: test.file, startLine: test.line });
    written += 1;
  }
  const errors = findings.filter((finding) => finding.level === 'error');
  for (const finding of errors) {
    if (written >= limit) break;
    core.error(finding.message, { title: `${finding.tool} ${finding.rule}`.trim(), file: finding.file, startLine: finding.line });
    written += 1;
  }
  return failing.length + errors.length - written;
}
