import type { V1Deployment, V1Pod } from '@kubernetes/client-node';

import type { KubeClient } from '@atom-actions/shared/kube/client';

import type { ChecklistLine } from '../checklist.ts';
import type { ClusterSettings, WorkloadSettings } from '../settings.ts';
import type { VerifyLog } from '../verify-log.ts';

/** The Deployment and its pods, read once and shared by the pods and logs items. */
export interface Workload {
  deployment: V1Deployment;
  pods: V1Pod[];
}

/** Reads the Deployment and the pods its selector matches. */
export async function readWorkload(client: KubeClient, cluster: ClusterSettings, deadline: number): Promise<Workload> {
  const { deployment: name, namespace } = cluster;
  const deployment = await client.call(`read deployment "${name}" in namespace "${namespace}"`, (options) => client.apps.readNamespacedDeployment({ name, namespace }, options), { deadline });

  const labels = deployment.spec?.selector?.matchLabels ?? {};
  const labelSelector = Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const list = await client.call(`list pods of deployment "${name}"`, (options) => client.core.listNamespacedPod({ namespace, labelSelector }, options), { deadline });
  return { deployment, pods: list.items };
}

/**
 * Judges the pods: every desired replica ready, no container in
 * CrashLoopBackOff, and restarts within the window at most `max-restarts`.
 */
export function checkPods(workload: Workload, settings: WorkloadSettings, log: VerifyLog, now: number = Date.now()): ChecklistLine[] {
  const lines = [readyLine(workload), crashLoopLine(workload.pods), restartsLine(workload.pods, settings, now)];
  for (const line of lines) log.info(`Pods: ${line.name} ${line.value} against ${line.threshold}: ${line.result} (${line.detail})`);
  return lines;
}

function readyLine({ deployment, pods }: Workload): ChecklistLine {
  const desired = deployment.spec?.replicas ?? 1;
  const ready = pods.filter((pod) => pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True')).length;
  const notReady = pods.filter((pod) => !pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True'));
  const passed = ready >= desired && desired > 0;
  const detail = passed
    ? `${ready} of ${desired} desired pods are ready.`
    : `${ready} of ${desired} desired pods are ready; not ready: ${notReady.map((pod) => pod.metadata?.name).join(', ') || 'none found'}.`;
  return { item: 'pods', name: 'ready pods', result: passed ? 'pass' : 'fail', value: `${ready}/${desired} ready`, threshold: `${desired}/${desired}`, detail };
}

function crashLoopLine(pods: readonly V1Pod[]): ChecklistLine {
  const crashing = pods.flatMap((pod) =>
    (pod.status?.containerStatuses ?? [])
      .filter((container) => container.state?.waiting?.reason === 'CrashLoopBackOff')
      .map((container) => `${pod.metadata?.name}/${container.name}`),
  );
  const detail = crashing.length === 0 ? 'No container is in CrashLoopBackOff.' : `In CrashLoopBackOff: ${crashing.join(', ')}.`;
  return { item: 'pods', name: 'CrashLoopBackOff', result: crashing.length === 0 ? 'pass' : 'fail', value: String(crashing.length), threshold: '= 0', detail };
}

/**
 * Counts restarts inside the window. A pod started inside the window has all
 * its restarts there. For an older pod only the last termination time is
 * known, so a restart inside the window counts as one: a lower bound.
 */
function restartsLine(pods: readonly V1Pod[], settings: WorkloadSettings, now: number): ChecklistLine {
  const windowStart = now - settings.windowMs;
  let restarts = 0;
  const restarted: string[] = [];

  for (const pod of pods) {
    const started = pod.status?.startTime ? new Date(pod.status.startTime).getTime() : 0;
    for (const container of pod.status?.containerStatuses ?? []) {
      const lastFinished = container.lastState?.terminated?.finishedAt ? new Date(container.lastState.terminated.finishedAt).getTime() : 0;
      let counted = 0;
      if (started >= windowStart) counted = container.restartCount;
      else if (lastFinished >= windowStart) counted = Math.min(1, container.restartCount);
      if (counted > 0) restarted.push(`${pod.metadata?.name}/${container.name} (${counted})`);
      restarts += counted;
    }
  }

  const passed = restarts <= settings.maxRestarts;
  const detail = restarts === 0 ? 'No container restarted in the window.' : `Restarted: ${restarted.join(', ')}.`;
  return { item: 'pods', name: 'restarts in window', result: passed ? 'pass' : 'fail', value: String(restarts), threshold: `<= ${settings.maxRestarts}`, detail };
}
