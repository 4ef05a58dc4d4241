import { sleep } from '@atom-actions/shared/backoff';
import { formatDuration } from '@atom-actions/shared/duration';

import { describe, type Cluster, type KubeObject, type ObjectRef } from './cluster.ts';

/** Returns the reference of a Deployment. */
export function deploymentRef(namespace: string, name: string): ObjectRef {
  return { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name };
}

/** A Deployment that did not become ready in time. */
export class RolloutError extends Error {
  override readonly name = 'RolloutError';
}

/** Progress of a Deployment rollout, as `kubectl rollout status` reads it. */
export interface RolloutProgress {
  done: boolean;
  /** Set when Kubernetes itself reports the rollout as failed (ProgressDeadlineExceeded). */
  failure?: string;
  summary: string;
}

/** Reads the rollout progress from a Deployment's generation, replica counts and conditions. */
export function rolloutProgress(deployment: KubeObject): RolloutProgress {
  const desired: number = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const updated: number = status.updatedReplicas ?? 0;
  const ready: number = status.readyReplicas ?? 0;
  const available: number = status.availableReplicas ?? 0;
  const total: number = status.replicas ?? 0;
  const observed = (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
  const summary = `${ready}/${desired} ready, ${updated} updated, ${available} available`;

  const progressing = (status.conditions ?? []).find((condition: { type: string }) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { done: false, failure: `ProgressDeadlineExceeded: ${progressing.message ?? ''}`.trim(), summary };

  const done = observed && updated === desired && available === desired && ready === desired && total === desired;
  return { done, summary };
}

/**
 * Waits until the Deployment's rollout is complete: every replica updated,
 * ready and available, and no old replica left. Throws RolloutError when
 * Kubernetes reports ProgressDeadlineExceeded or `deadlineMs` passes, so a
 * canary whose pods never become ready ends the run instead of hanging it.
 */
export async function waitForRollout(cluster: Cluster, ref: ObjectRef, deadlineMs: number, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  const started = Date.now();
  let lastSummary = '';

  for (;;) {
    const deployment = await cluster.read(ref);
    if (!deployment) throw new RolloutError(`${describe(ref)} was not found while waiting for its rollout.`);

    const progress = rolloutProgress(deployment);
    if (progress.done) {
      log(`${describe(ref)} is ready: ${progress.summary}.`);
      return;
    }
    if (progress.failure) throw new RolloutError(`${describe(ref)} failed to roll out (${progress.failure}); ${progress.summary}.`);

    const elapsed = Date.now() - started;
    if (elapsed >= deadlineMs) {
      throw new RolloutError(`${describe(ref)} was not ready within the progress deadline of ${formatDuration(deadlineMs)}: ${progress.summary}.`);
    }
    if (progress.summary !== lastSummary) log(`Waiting for ${describe(ref)}: ${progress.summary}.`);
    lastSummary = progress.summary;
    await sleep(Math.min(500, deadlineMs - elapsed), signal);
  }
}

/** Sets the replica count of a Deployment. */
export async function scaleDeployment(cluster: Cluster, ref: ObjectRef, replicas: number): Promise<void> {
  await cluster.mergePatch(ref, { spec: { replicas } });
}

/** Returns the pod template label that fills `{{ version }}`, or the Deployment name when the label is absent. */
export function versionOf(deployment: KubeObject, versionLabel: string): string {
  const labels: Record<string, string> = deployment.spec?.template?.metadata?.labels ?? {};
  return labels[versionLabel] ?? deployment.metadata.name ?? '';
}
