import { codeBlock, details, markdownTable, statusLabel, type Status } from '@atom-actions/shared/summary';

import { checklistItems, type ChecklistLine } from './checklist.ts';
import type { RemediationOutcome } from './remediation.ts';

/** The JSON report the action writes and names in its `report` output. */
export interface VerifyReport {
  passed: boolean;
  baseUrl: string;
  environment: string;
  startedAt: string;
  durationMs: number;
  failedChecks: string[];
  lines: ChecklistLine[];
  remediation?: RemediationOutcome;
}

const itemTitles: Record<(typeof checklistItems)[number], string> = {
  health: '1. Health',
  smoke: '2. Smoke tests',
  metrics: '3. Metrics',
  pods: '4. Pods',
  logs: '5. Logs',
};

/** Renders the job summary: the checklist table, excerpts, and what was done about a failure. */
export function renderSummary(report: VerifyReport): string {
  const headline = report.passed ? '✅ Post-deployment verification passed' : '❌ Post-deployment verification failed';
  const rows = report.lines.map((line) => [itemTitles[line.item], line.name, statusLabel(line.result as Status), line.value, line.threshold, line.detail]);
  const parts = [
    `## ${headline}`,
    '',
    `${report.baseUrl} (${report.environment}), ${(report.durationMs / 1000).toFixed(1)} s.`,
    '',
    markdownTable(['item', 'check', 'result', 'value', 'threshold', 'detail'], rows),
  ];

  for (const line of report.lines.filter((candidate) => candidate.excerpts && candidate.excerpts.length > 0)) {
    parts.push('', details(`${itemTitles[line.item]}: ${line.name} (${line.excerpts?.length === 1 ? '1 excerpt' : `${line.excerpts?.length} excerpts`})`, codeBlock((line.excerpts ?? []).join('\n'))));
  }

  if (report.remediation) parts.push('', '### On failure', '', ...renderRemediation(report.remediation));
  return parts.join('\n');
}

function renderRemediation(outcome: RemediationOutcome): string[] {
  const lines = [`- Rollback (${outcome.rollback.status}): ${outcome.rollback.message}`];
  if (outcome.notification) lines.push(`- Notification: ${outcome.notification.status}: ${outcome.notification.message}`);
  return lines;
}
