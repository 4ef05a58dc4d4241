import { errorMessage } from '@atom-actions/shared/errors';
import { runSmokeTest } from '@atom-actions/shared/smoke/runner';
import { redactUrl } from '@atom-actions/shared/secrets';
import type { CheckResult } from '@atom-actions/shared/smoke/model';

import type { RolloutContext } from '../context.ts';

/**
 * Runs the smoke test of the `smoke-*` inputs against green and stores its
 * report on the context for the job summary. Returns why green failed it,
 * or undefined when it passed or no smoke test is configured. Throws when
 * the workflow was cancelled while the test ran, so that nothing switches.
 */
export async function smokeTestGreen(context: RolloutContext): Promise<string | undefined> {
  const config = context.settings.smoke;
  if (!config) return undefined;

  context.log(`Smoke testing green at ${redactUrl(config.baseUrl)} before any traffic switches to it.`);
  let failure: string | undefined;
  try {
    // NOTE: runSmokeTest takes no abort signal, so after a cancellation it runs on until the grace period of main ends.
    const report = await runSmokeTest(config, { info: context.log, warning: context.warn });
    context.smokeReport = report;
    const passedCount = report.total - report.failed - report.skipped;
    if (report.passed) context.log(`Smoke test of green passed: ${passedCount} of ${report.total} checks.`);
    else failure = `Smoke test of green failed: ${passedCount} of ${report.total} checks passed${describeFailures(report.checks)}${report.budgetFailure ? `; ${report.budgetFailure}` : ''}.`;
  } catch (error) {
    failure = `Smoke test of green could not run: ${errorMessage(error)}.`;
  }

  context.signal.throwIfAborted();
  return failure;
}

function describeFailures(checks: readonly CheckResult[]): string {
  const failed = checks.filter((check) => check.outcome === 'failed');
  if (failed.length === 0) return '';
  return `, failed: ${failed.map((check) => `"${check.name}" (${check.reason ?? 'no reason given'})`).join(', ')}`;
}
