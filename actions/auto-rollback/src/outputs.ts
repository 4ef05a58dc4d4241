import type { RollbackResult } from '@atom-actions/shared/rollback/types';

/** The action's outputs, as strings. */
export interface RollbackOutputs {
  'rolled-back': 'true' | 'false' | 'skipped';
  'from-revision': string;
  'to-revision': string;
  'duration-seconds': string;
  message: string;
  results: string;
}

function perDeployment(results: readonly RollbackResult[], value: (result: RollbackResult) => number | undefined): string {
  if (results.length === 1) return String(value(results[0]!) ?? '');
  return results.map((result) => `${result.deployment}=${value(result) ?? ''}`).join(',');
}

/** Returns the `rolled-back` output: false when any rollback failed, true when any was done, else skipped. */
function rolledBackOutput(failed: boolean, rolledBack: boolean): 'true' | 'false' | 'skipped' {
  if (failed) return 'false';
  if (rolledBack) return 'true';
  return 'skipped';
}

/**
 * Builds the outputs: `rolled-back` is true when at least one Deployment
 * was rolled back and none failed, skipped when none failed and none was
 * rolled back (already rolled back, template at the target, dry run), and
 * false when any failed.
 */
export function buildOutputs(results: readonly RollbackResult[], durationMs: number): RollbackOutputs {
  const failed = results.some((result) => result.outcome === 'failed');
  const rolledBack = results.some((result) => result.outcome === 'rolled-back');

  return {
    'rolled-back': rolledBackOutput(failed, rolledBack),
    'from-revision': perDeployment(results, (result) => result.fromRevision),
    'to-revision': perDeployment(results, (result) => result.toRevision),
    'duration-seconds': (durationMs / 1000).toFixed(1),
    // With several Deployments, each line starts with its name, because their messages may read alike.
    message: results.map((result) => (results.length > 1 ? `[${result.deployment}] ${result.message}` : result.message)).join('\n'),
    results: JSON.stringify(
      results.map((result) => ({
        deployment: result.deployment,
        outcome: result.outcome,
        message: result.message,
        fromRevision: result.fromRevision ?? null,
        toRevision: result.toRevision ?? null,
        durationMs: result.durationMs,
      })),
    ),
  };
}
