import { startKubeSimulator, type KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import { kinds } from '@atom-actions/sandbox/kube/resources';
import type { Deployment, ReplicaSet } from '@atom-actions/sandbox/kube/types';
import { createKubeClient, type KubeClient } from '@atom-actions/shared/kube/client';
import { loadKubeConfig } from '@atom-actions/shared/kube/config';

/** Simulated time runs this many times faster, so rollouts finish in well under a second. */
export const timeScale = 50;

/** Starts a simulator for one test file. */
export function startSimulator(): Promise<KubeSimulator> {
  return startKubeSimulator({ timeScale });
}

/** Creates a library client for the simulator. */
export function clientFor(sim: KubeSimulator): KubeClient {
  return createKubeClient(loadKubeConfig({ kubeconfig: sim.kubeconfig, env: {} }), { backoff: { initialDelayMs: 20, maxDelayMs: 200, multiplier: 2 } });
}

/** Reads a Deployment straight from the simulator's store. */
export function storedDeployment(sim: KubeSimulator, namespace: string, name = 'atom'): Deployment {
  return sim.store.get(kinds.deployment, namespace, name) as Deployment;
}

/** Lists the ReplicaSets in a namespace straight from the simulator's store. */
export function storedReplicaSets(sim: KubeSimulator, namespace: string): ReplicaSet[] {
  return sim.store.list(kinds.replicaSet, namespace) as ReplicaSet[];
}

/** Counts the PATCH requests that reached the Deployment in a namespace and were applied. */
export function appliedPatches(sim: KubeSimulator, namespace: string, name = 'atom'): number {
  return sim.requests.filter((request) => request.method === 'PATCH' && request.path === `/apis/apps/v1/namespaces/${namespace}/deployments/${name}` && request.status === 200).length;
}

/** Creates a log that keeps its lines, for assertions. */
export function memoryLog(): { lines: string[]; info(line: string): void; warning(line: string): void } {
  const lines: string[] = [];
  return { lines, info: (line) => lines.push(line), warning: (line) => lines.push(`warning: ${line}`) };
}
