import { ConfigurationError, errorMessage } from '@atom-actions/shared/errors';
import { createKubeClient } from '@atom-actions/shared/kube/client';
import { loadKubeConfig } from '@atom-actions/shared/kube/config';

import type { ChecklistLine } from '../checklist.ts';
import type { ClusterSettings, WorkloadSettings } from '../settings.ts';
import type { VerifyLog } from '../verify-log.ts';
import { checkLogs } from './logs.ts';
import { checkPods, readWorkload } from './pods.ts';

/** Limit for all cluster reads of the pods and logs items together, in milliseconds. */
export const clusterReadTimeoutMs = 120_000;

/** Runs the pods and logs items against the cluster. */
export async function checkWorkload(cluster: ClusterSettings, settings: WorkloadSettings, log: VerifyLog): Promise<ChecklistLine[]> {
  const deadline = Date.now() + clusterReadTimeoutMs;
  try {
    const loaded = loadKubeConfig({ kubeconfig: cluster.kubeconfig, context: cluster.context });
    const client = createKubeClient(loaded, { log: (line) => log.info(`Kubernetes: ${line}`) });
    log.info(`Pods: reading deployment "${cluster.deployment}" in namespace "${cluster.namespace}" from ${loaded.server}`);

    const workload = await readWorkload(client, cluster, deadline);
    const podLines = checkPods(workload, settings, log);
    const logLine = await checkLogs(client, cluster, workload, settings, log, deadline);
    return [...podLines, logLine];
  } catch (error) {
    // A broken kubeconfig or a missing context is the user's to fix: report it as such.
    if (error instanceof ConfigurationError) throw error;
    log.warning(`Pods: could not read the workload: ${errorMessage(error)}`);
    return [
      { item: 'pods', name: 'workload', result: 'fail', value: 'not read', threshold: '', detail: errorMessage(error) },
      { item: 'logs', name: 'error lines', result: 'skip', value: '', threshold: '', detail: 'Skipped: the workload could not be read.' },
    ];
  }
}
