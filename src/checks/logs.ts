import type { KubeClient } from '@atom-actions/shared/kube/client';
import { errorMessage } from '@atom-actions/shared/errors';
import { redact } from '@atom-actions/shared/secrets';

import type { ChecklistLine } from '../checklist.ts';
import type { ClusterSettings, WorkloadSettings } from '../settings.ts';
import type { VerifyLog } from '../verify-log.ts';
import type { Workload } from './pods.ts';

/** Pods whose logs are read at most, so a large Deployment does not flood the API server. */
export const maxPodsRead = 10;
/** Lines read per container at most. */
export const maxLinesPerContainer = 5000;
/** Matching lines shown in the summary at most. */
export const maxExcerpts = 10;

/**
 * Reads the recent logs of the Deployment's pods (the window's length back)
 * and counts the lines that match any pattern. More matches than allowed
 * fail the line; the first matches are kept as excerpts.
 */
export async function checkLogs(client: KubeClient, cluster: ClusterSettings, workload: Workload, settings: WorkloadSettings, log: VerifyLog, deadline: number): Promise<ChecklistLine> {
  const sinceSeconds = Math.max(1, Math.ceil(settings.windowMs / 1000));
  const excerpts: string[] = [];
  const unreadable: string[] = [];
  let matches = 0;
  let containersRead = 0;

  for (const pod of workload.pods.slice(0, maxPodsRead)) {
    const podName = pod.metadata?.name ?? '';
    for (const container of pod.spec?.containers ?? []) {
      try {
        const text = await client.call(
          `read logs of pod "${podName}" container "${container.name}"`,
          (options) => client.core.readNamespacedPodLog({ name: podName, namespace: cluster.namespace, container: container.name, sinceSeconds, tailLines: maxLinesPerContainer }, options),
          { deadline },
        );
        containersRead++;
        for (const line of String(text).split('\n')) {
          if (!settings.logPatterns.some((pattern) => pattern.test(line))) continue;
          matches++;
          if (excerpts.length < maxExcerpts) excerpts.push(`${podName}/${container.name}: ${redact(line).slice(0, 300)}`);
        }
      } catch (error) {
        unreadable.push(`${podName}/${container.name}`);
        log.warning(`Logs: could not read ${podName}/${container.name}: ${errorMessage(error)}`);
      }
    }
  }

  const patterns = settings.logPatterns.map((pattern) => pattern.source).join(', ');
  const skippedPods = Math.max(0, workload.pods.length - maxPodsRead);
  const scope = `${containersRead} containers, last ${sinceSeconds}s${skippedPods > 0 ? `, ${skippedPods} pods not read` : ''}`;
  const passed = matches <= settings.maxLogMatches && unreadable.length === 0;
  const detail = unreadable.length > 0 ? `Logs could not be read from ${unreadable.join(', ')}.` : `${matches} ${matches === 1 ? 'line matches' : 'lines match'} ${patterns} (${scope}).`;
  const line: ChecklistLine = {
    item: 'logs',
    name: 'error lines',
    result: passed ? 'pass' : 'fail',
    value: String(matches),
    threshold: `<= ${settings.maxLogMatches}`,
    detail,
    ...(excerpts.length > 0 ? { excerpts } : {}),
  };
  log.info(`Logs: ${line.value} matching lines against ${line.threshold}: ${line.result} (${line.detail})`);
  return line;
}
