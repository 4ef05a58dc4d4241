import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import type { SeedDeploymentOptions } from '@atom-actions/sandbox/kube/seed';
import type { KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import { runAction } from '@atom-actions/sandbox/runner/runner';

import { actionDirectory } from '../helpers/actions.ts';
import { startSimulator, storedDeployment, storedReplicaSets } from './helpers.ts';

/** One starting state: the Deployment to seed and the revision to ask for. */
interface DifferentialCase {
  name: string;
  seed: Omit<SeedDeploymentOptions, 'name' | 'namespace'>;
  toRevision?: number;
}

const rolledBackBefore = [
  { image: 'atom:1.1', revision: 1 },
  { image: 'atom:1.3', revision: 3 },
  { image: 'atom:1.2', revision: 4, annotations: { 'deployment.kubernetes.io/revision-history': '2' } },
  { image: 'atom:1.4', revision: 5 },
];

const cases: DifferentialCase[] = [
  { name: 'previous revision', seed: { revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2' }, { image: 'atom:1.3' }] } },
  { name: 'named revision', seed: { revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2' }, { image: 'atom:1.3' }] }, toRevision: 1 },
  { name: 'one revision only', seed: { revisions: [{ image: 'atom:1.1' }] } },
  { name: 'missing to-revision', seed: { revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2' }] }, toRevision: 7 },
  { name: 'paused deployment', seed: { paused: true, revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2' }] } },
  { name: 'template already at target', seed: { revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2' }] }, toRevision: 2 },
  { name: 'duplicate highest revision', seed: { revisions: [{ image: 'atom:1.1', revision: 1 }, { image: 'atom:1.2', revision: 3 }, { image: 'atom:1.3', revision: 3 }] } },
  { name: 'duplicate lower revision', seed: { revisions: [{ image: 'atom:1.1', revision: 2 }, { image: 'atom:1.2', revision: 2 }, { image: 'atom:1.3', revision: 3 }] } },
  { name: 'rolled back before', seed: { revisions: rolledBackBefore } },
  { name: 'rolled back revision gone', seed: { revisions: rolledBackBefore }, toRevision: 2 },
  { name: 'revisionHistoryLimit 0', seed: { spec: { revisionHistoryLimit: 0 }, revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2' }, { image: 'atom:1.3' }] } },
  {
    name: 'annotations carried over',
    seed: {
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}', team: 'payments' },
      revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2', annotations: { 'kubernetes.io/change-cause': 'deploy 1.2', owner: 'release' } }, { image: 'atom:1.3' }],
    },
  },
];

let sim: KubeSimulator;
let kubectlHome: string;

beforeAll(async () => {
  sim = await startSimulator();
  kubectlHome = fs.mkdtempSync(path.join(os.tmpdir(), 'atom-kubectl-home-'));
});

afterAll(async () => {
  await sim.stop();
  fs.rmSync(kubectlHome, { recursive: true, force: true });
});

/** Runs kubectl without blocking the event loop, which serves the simulator in this process. */
function kubectl(args: string[]): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolve) => {
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: kubectlHome, KUBECONFIG: sim.kubeconfigPath };
    execFile('kubectl', args, { env, timeout: 30_000 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ exitCode, output: `${stdout}${stderr}`.trim() });
    });
  });
}

/** The parts of a namespace's state both tools must leave identical: our own annotations left out. */
function observableState(namespace: string): unknown {
  const deployment = storedDeployment(sim, namespace);
  const annotations = Object.entries(deployment.metadata.annotations ?? {}).filter(([key]) => !key.startsWith('atom-actions.io/'));
  const replicaSets = storedReplicaSets(sim, namespace)
    .map((replicaSet) => ({
      name: replicaSet.metadata.name,
      revision: replicaSet.metadata.annotations?.['deployment.kubernetes.io/revision'],
      history: replicaSet.metadata.annotations?.['deployment.kubernetes.io/revision-history'],
      replicas: replicaSet.spec.replicas,
    }))
    .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  return { template: deployment.spec.template, annotations: Object.fromEntries(annotations.sort()), replicaSets };
}

describe('auto-rollback matches kubectl rollout undo', () => {
  // Each case has its own namespaces, so the cases run at the same time.
  test.concurrent.each(cases.map((entry, index) => [entry.name, index] as const))('%s', async (_name, index) => {
    const entry = cases[index]!;
    const kubectlNamespace = `kubectl-${index}`;
    const actionNamespace = `action-${index}`;
    for (const namespace of [kubectlNamespace, actionNamespace]) {
      sim.seed.namespace(namespace);
      sim.seed.deployment({ name: 'atom', namespace, replicas: 2, ...entry.seed });
    }
    await sim.settle();

    const revisionFlag = entry.toRevision === undefined ? [] : [`--to-revision=${entry.toRevision}`];
    const undo = await kubectl(['rollout', 'undo', 'deployment/atom', '-n', kubectlNamespace, ...revisionFlag]);
    const action = await runAction({
      actionDirectory: actionDirectory('auto-rollback'),
      inputs: { deployments: 'atom', namespace: actionNamespace, kubeconfig: sim.kubeconfig, wait: 'false', 'to-revision': entry.toRevision ?? '' },
      timeoutMs: 60_000,
    });
    await sim.settle();

    expect(action.exitCode).toBe(undo.exitCode);
    const kubectlMessage = undo.output.replace(/^error: /, '').replace(/^deployment\.apps\/atom /, '');
    // kubectl 1.32 says only 'kubectl rollout resume'; the action names the Deployment, as later kubectl versions do.
    const actionMessage = (undo.exitCode === 0 ? (action.outputs['message'] ?? '') : (action.errors[0] ?? '')).replace("'kubectl rollout resume deployment/atom'", "'kubectl rollout resume'");
    if (kubectlMessage === 'rolled back') expect(action.outputs['rolled-back']).toBe('true');
    else expect(actionMessage).toContain(kubectlMessage);

    expect(observableState(actionNamespace)).toEqual(observableState(kubectlNamespace));
  });
});
