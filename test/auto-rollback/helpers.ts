import { startKubeSimulator, type KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import { kinds } from '@atom-actions/sandbox/kube/resources';
import type { Deployment, ReplicaSet } from '@atom-actions/sandbox/kube/types';
import { createKubeClient, type KubeClient } from '@atom-actions/shared/kube/client';
import { loadKubeConfig } from '@atom-actions/shared/kube/config';
import type { RollbackRequest } from '@atom-actions/shared/rollback/types';

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

/** Pod behaviors of the simulator (such as `crash-loop` or `never-ready`) for revision 2, the rollback target, and revision 3, the current one. */
export interface RevisionBehaviors {
  targetBehavior?: string;
  currentBehavior?: string;
  spec?: Record<string, unknown>;
}

/** Seeds the Deployment "atom" with 2 replicas and the revisions atom:1.1, atom:1.2 and atom:1.3 in a new namespace. */
export function seedRevisionHistory(sim: KubeSimulator, namespace: string, options: RevisionBehaviors = {}): void {
  sim.seed.namespace(namespace);
  const behavior = (value: string | undefined) => (value ? { podAnnotations: { 'sim.atom-actions.io/behavior': value } } : {});
  sim.seed.deployment({
    name: 'atom',
    namespace,
    replicas: 2,
    revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2', ...behavior(options.targetBehavior) }, { image: 'atom:1.3', ...behavior(options.currentBehavior) }],
    ...(options.spec ? { spec: options.spec } : {}),
  });
}

/** Builds a rollback request for "atom" that waits, with a 30 s timeout and pod checks every 200 ms. */
export function rollbackRequest(namespace: string, extra: Partial<RollbackRequest> = {}): RollbackRequest {
  return { deployment: 'atom', namespace, timeoutMs: 30_000, wait: true, podCheckIntervalMs: 200, ...extra };
}
