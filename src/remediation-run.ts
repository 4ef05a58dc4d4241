import { errorMessage } from '@atom-actions/shared/errors';
import { createKubeClient } from '@atom-actions/shared/kube/client';
import { loadKubeConfig } from '@atom-actions/shared/kube/config';
import { readRunContext } from '@atom-actions/shared/notify/context';
import { buildNotification } from '@atom-actions/shared/notify/message';
import { sendNotification } from '@atom-actions/shared/notify/send';
import { rollbackDeployment } from '@atom-actions/shared/rollback/rollback';
import type { RollbackResult } from '@atom-actions/shared/rollback/types';

import type { RemediationOutcome } from './remediation.ts';
import type { VerifySettings } from './settings.ts';
import type { VerifyLog } from './verify-log.ts';

/**
 * Acts on a failed checklist as `on-failure` sets: rolls the Deployment back
 * through the rollback library (exactly once, then waits for the rollout),
 * and with rollback-and-notify sends a `rollback` notice naming the failed
 * checks. A failure here is reported, never thrown, so the summary is written.
 */
export async function remediate(settings: VerifySettings, failedChecks: readonly string[], log: VerifyLog): Promise<RemediationOutcome> {
  const rollback = await rollBack(settings, failedChecks, log);
  if (settings.onFailure !== 'rollback-and-notify' || !settings.notify) return { rollback };

  return { rollback, notification: await notify(settings, failedChecks, rollback, log) };
}

async function rollBack(settings: VerifySettings, failedChecks: readonly string[], log: VerifyLog): Promise<RemediationOutcome['rollback']> {
  const cluster = settings.cluster;
  if (!cluster) return { status: 'failed', message: 'No deployment input, so nothing can be rolled back.' };

  log.info(`On failure: rolling back deployment "${cluster.deployment}" in namespace "${cluster.namespace}" because ${failedChecks.join(', ')} failed`);
  let result: RollbackResult;
  try {
    const client = createKubeClient(loadKubeConfig({ kubeconfig: cluster.kubeconfig, context: cluster.context }), { log: (line) => log.info(`Kubernetes: ${line}`) });
    const context = readRunContext();
    result = await rollbackDeployment(
      client,
      {
        deployment: cluster.deployment,
        namespace: cluster.namespace,
        toRevision: settings.rollback.toRevision,
        timeoutMs: settings.rollback.timeoutMs,
        wait: true,
        reason: `${settings.rollback.reason}: ${failedChecks.join(', ')}`,
        runUrl: context.runUrl,
      },
      { info: (line) => log.info(`Rollback: ${line}`), warning: (line) => log.warning(`Rollback: ${line}`) },
    );
  } catch (error) {
    return { status: 'failed', message: errorMessage(error) };
  }

  log.info(`Rollback (${result.outcome}): ${result.message}`);
  return {
    status: result.outcome,
    message: result.message,
    ...(result.fromRevision !== undefined ? { fromRevision: result.fromRevision } : {}),
    ...(result.toRevision !== undefined ? { toRevision: result.toRevision } : {}),
  };
}

async function notify(settings: VerifySettings, failedChecks: readonly string[], rollback: RemediationOutcome['rollback'], log: VerifyLog): Promise<NonNullable<RemediationOutcome['notification']>> {
  const notifySettings = settings.notify!;
  const revisions = rollback.toRevision !== undefined ? `revision ${rollback.fromRevision ?? '?'} → ${rollback.toRevision}` : '';
  const message = {
    ...notifySettings.message,
    environment: settings.environment,
    revision: notifySettings.message.revision || revisions,
    reason: `${settings.rollback.reason}: ${failedChecks.join(', ')}`,
    details: notifySettings.message.details || `Rollback (${rollback.status}): ${rollback.message}`,
  };

  try {
    const notification = buildNotification('rollback', message, readRunContext());
    const results = await sendNotification(notifySettings, notification, { info: (line) => log.info(`Notify: ${line}`), warning: (line) => log.warning(`Notify: ${line}`) });
    const failed = results.filter((result) => result.status === 'failed');
    return {
      status: failed.length === 0 ? 'sent' : 'failed',
      message: results.map((result) => `${result.channel}: ${result.status}`).join(', '),
      results,
    };
  } catch (error) {
    return { status: 'failed', message: errorMessage(error) };
  }
}
