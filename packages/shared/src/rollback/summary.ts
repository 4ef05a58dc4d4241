import { formatDuration } from '../duration.ts';
import { escapeCell, markdownTable, statusIcon, statusLabel, type Status } from '../summary.ts';
import type { RevisionSnapshot, RollbackOutcome, RollbackResult } from './types.ts';

const outcomeStatus: Record<RollbackOutcome, Status> = { 'rolled-back': 'pass', skipped: 'skip', failed: 'fail' };

function describeSnapshot(snapshot: RevisionSnapshot | undefined): string[] {
  if (!snapshot) return ['-', '-', '-', '-'];
  return [String(snapshot.revision ?? '-'), snapshot.images.join(', ') || '-', snapshot.changeCause || '-', `${snapshot.readyReplicas} of ${snapshot.replicas}`];
}

/**
 * Renders the job summary of a rollback: for each Deployment its outcome and
 * message, a before and after table (revision, images, change-cause, ready
 * pods), the time taken and the verification checks.
 */
export function renderRollbackSummary(results: readonly RollbackResult[], reason = ''): string {
  const sections = ['## Rollback'];
  if (reason) sections.push(`Reason: ${escapeCell(reason)}`);

  for (const result of results) {
    const dryRun = result.dryRun ? ' (dry run)' : '';
    // The outcome goes last, so that a heading such as "skip deployment atom" does not read like a command.
    sections.push(`### ${statusIcon(outcomeStatus[result.outcome])} deployment ${escapeCell(result.deployment)} in ${escapeCell(result.namespace)}${dryRun}: ${result.outcome}`);
    sections.push(escapeCell(result.message));

    const before = describeSnapshot(result.before);
    const after = describeSnapshot(result.after);
    const labels = ['revision', 'images', 'change-cause', 'ready pods'];
    sections.push(markdownTable(['', 'before', 'after'], labels.map((label, index) => [label, before[index] ?? '-', after[index] ?? '-'])));
    sections.push(`Time taken: ${formatDuration(result.durationMs)}.`);

    if (result.verification.length > 0) {
      const rows = result.verification.map((check) => [check.name, statusLabel(check.passed ? 'pass' : 'fail'), check.detail]);
      sections.push(markdownTable(['verification', 'result', 'detail'], rows));
    }
  }

  return sections.join('\n\n');
}
