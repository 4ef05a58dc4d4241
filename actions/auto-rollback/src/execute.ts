import { errorMessage } from '@atom-actions/shared/errors';
import { connectKube } from '@atom-actions/shared/kube/connect';
import { registerKubeConfigSecrets } from '@atom-actions/shared/kube/mask';
import { rollbackDeployment } from '@atom-actions/shared/rollback/rollback';
import { renderRollbackSummary } from '@atom-actions/shared/rollback/summary';
import type { RollbackLog, RollbackResult, VerificationCheck } from '@atom-actions/shared/rollback/types';
import { setOutputs } from '@atom-actions/shared/file-commands';
import { appendSummary } from '@atom-actions/shared/summary';
import { writeError, writeInfo, writeWarning } from '@atom-actions/shared/workflow-commands';

import { buildOutputs } from './outputs.ts';
import type { RollbackSettings } from './settings.ts';

/** Returns the URL of the workflow run from the runner's environment, or '' outside a runner. */
function workflowRunUrl(): string {
  const server = process.env['GITHUB_SERVER_URL'];
  const repository = process.env['GITHUB_REPOSITORY'];
  const runId = process.env['GITHUB_RUN_ID'];
  return server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : '';
}

/** Returns the prefix of a Deployment's lines: its name when several run in parallel, else nothing, because each message names it. */
function deploymentPrefix(name: string, several: boolean): string {
  return several ? `[${name}] ` : '';
}

/** Builds a log that prefixes each line with the Deployment name when several run in parallel. */
function deploymentLog(name: string, several: boolean): RollbackLog {
  const prefix = deploymentPrefix(name, several);
  return { info: (line) => writeInfo(`${prefix}${line}`), warning: (line) => writeWarning(`${prefix}${line}`) };
}

/**
 * Rolls back every Deployment in parallel, runs the smoke test once when
 * all rollouts succeeded, sets the outputs and the job summary, and fails
 * the step when any Deployment failed.
 */
export async function execute(settings: RollbackSettings): Promise<void> {
  const startedAt = Date.now();
  registerKubeConfigSecrets(settings.kubeconfig);

  const connection = await connectKube({ kubeconfig: settings.kubeconfig, context: settings.context }, { log: (line) => writeInfo(line) });
  writeInfo(`Using the API server ${connection.server} (context "${connection.context}") from ${connection.origin}`);
  if (connection.clientNodeReason) writeInfo(`Loading @kubernetes/client-node for authentication, because ${connection.clientNodeReason}`);
  const client = connection.client;

  const several = settings.deployments.length > 1;
  const runUrl = workflowRunUrl();
  const rollbacks = Promise.all(
    settings.deployments.map((deployment) =>
      rollbackDeployment(
        client,
        {
          deployment,
          namespace: settings.namespace,
          toRevision: settings.toRevision,
          expectedRevision: settings.expectedRevision,
          timeoutMs: settings.timeoutMs,
          wait: settings.wait,
          reason: settings.reason,
          dryRun: settings.dryRun,
          runUrl,
        },
        deploymentLog(deployment, several),
      ),
    ),
  );
  const results = await rollbacks.finally(() => connection.close());

  const smokeSummary = await runSmokeTest(settings, results);
  const outputs = buildOutputs(results, Date.now() - startedAt);
  setOutputs({ ...outputs });

  await appendSummary([renderRollbackSummary(results, settings.reason), smokeSummary].filter(Boolean).join('\n\n'));

  const failures = results.filter((result) => result.outcome === 'failed');
  for (const failure of failures) writeError(`${deploymentPrefix(failure.deployment, several)}${failure.message}`);
  if (failures.length > 0) process.exitCode = 1;
}

/**
 * Runs the smoke test once after every rollout finished and passed its pod
 * checks, adds its outcome to each result whose rollout was verified (rolled
 * back, or skipped and then confirmed), and returns its summary Markdown
 * ('' when it did not run).
 */
async function runSmokeTest(settings: RollbackSettings, results: RollbackResult[]): Promise<string> {
  const verified = results.filter((result) => !result.dryRun && result.verification.length > 0);
  if (!settings.smoke || !settings.wait || verified.length === 0 || results.some((result) => result.outcome === 'failed')) return '';

  writeInfo(`Running the smoke test against ${settings.smoke.baseUrl.origin}`);
  const { runSmokeTest: run } = await import('@atom-actions/shared/smoke/runner');
  const { renderSmokeSummary } = await import('@atom-actions/shared/smoke/summary');

  let check: VerificationCheck;
  let summary = '';
  try {
    const report = await run(settings.smoke, { info: (line) => writeInfo(line), warning: (line) => writeWarning(line) });
    check = { name: 'smoke test', passed: report.passed, detail: `${report.total - report.failed - report.skipped} of ${report.total} checks passed${report.budgetFailure ? `; ${report.budgetFailure}` : ''}` };
    summary = renderSmokeSummary(report);
  } catch (error) {
    check = { name: 'smoke test', passed: false, detail: `the smoke test could not run: ${errorMessage(error)}` };
  }

  for (const result of verified) {
    result.verification.push(check);
    if (!check.passed) {
      result.outcome = 'failed';
      result.message = `${result.message}, but the smoke test failed: ${check.detail}`;
    }
  }
  return summary;
}
