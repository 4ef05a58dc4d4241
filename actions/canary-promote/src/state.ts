import type { Cluster, KubeObject } from './kube/cluster.ts';
import { deploymentRef } from './kube/deployments.ts';

/** Annotation on the canary Deployment that carries the rollout state between jobs. */
export const stateAnnotation = 'canary.atom-actions.io/state';

/** Annotation on objects this action created, so that promotion removes only those. */
export const managedByAnnotation = 'canary.atom-actions.io/managed-by';
export const managedByValue = 'atom-actions-canary-promote';

/** Phase of a rollout. `paused` waits for a later job (advance or promote). */
export type RolloutPhase = 'progressing' | 'paused' | 'promoted' | 'aborted' | 'inconclusive';

/** The rollout state stored on the cluster, so any runner can continue a rollout. */
export interface RolloutState {
  strategy: 'canary' | 'blue-green';
  phase: RolloutPhase;
  /** Index into `steps` of the current step; -1 before the first. */
  stepIndex: number;
  /** Effective canary weight in percent. */
  weight: number;
  steps: number[];
  /** Replica count of the stable Deployment before the rollout, which the replicas router splits. */
  stableReplicas: number;
  /** The stable Service selector before a blue-green switch, restored on abort. */
  stableSelector?: Record<string, string>;
  startedAt: string;
  updatedAt: string;
  reason?: string;
  /** The workflow run that last changed the state. */
  runId?: string;
  /** The traffic router the rollout started with; later jobs move traffic through the same one. */
  trafficRouter?: 'replicas' | 'nginx' | 'gateway-api' | 'smi';
}

/** Reads the rollout state from the canary Deployment, or undefined when it has none or it does not parse. */
export function readState(canary: KubeObject | undefined): RolloutState | undefined {
  const text = canary?.metadata.annotations?.[stateAnnotation];
  if (!text) return undefined;
  try {
    return JSON.parse(text) as RolloutState;
  } catch {
    return undefined;
  }
}

/** Writes the rollout state onto the canary Deployment, stamping `updatedAt` and the run id. */
export async function writeState(cluster: Cluster, namespace: string, canary: string, state: RolloutState): Promise<RolloutState> {
  const stamped = { ...state, updatedAt: new Date().toISOString(), runId: process.env['GITHUB_RUN_ID'] ?? state.runId };
  await cluster.mergePatch(deploymentRef(namespace, canary), { metadata: { annotations: { [stateAnnotation]: JSON.stringify(stamped) } } });
  return stamped;
}

/** Returns a fresh state for a rollout that starts now. */
export function initialState(strategy: RolloutState['strategy'], steps: number[], stableReplicas: number): RolloutState {
  const now = new Date().toISOString();
  return { strategy, phase: 'progressing', stepIndex: -1, weight: 0, steps, stableReplicas, startedAt: now, updatedAt: now };
}
