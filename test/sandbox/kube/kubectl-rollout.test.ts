import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';

import type { KubeSimulator } from '@atom-actions/sandbox/kube/simulator';

import { deploymentManifest, kubectl, startSim } from './helpers.ts';

let sim: KubeSimulator;

beforeEach(async () => {
  sim = await startSim();
});

afterEach(async () => {
  await sim.stop();
});

async function applyWeb(options: Parameters<typeof deploymentManifest>[1] = {}): Promise<void> {
  const applied = await kubectl(sim, ['apply', '-f', '-'], JSON.stringify(deploymentManifest('web', options)));
  expect(applied.stderr).toBe('');
  expect(applied.stdout).toBe('deployment.apps/web created\n');
}

describe('kubectl rollout against the simulator', () => {
  test('apply and rollout status succeed', async () => {
    await applyWeb({ replicas: 3 });

    const status = await kubectl(sim, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(status.code).toBe(0);
    expect(status.stdout.trimEnd().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');

    const again = await kubectl(sim, ['apply', '-f', '-'], JSON.stringify(deploymentManifest('web', { replicas: 3 })));
    expect(again.stdout).toBe('deployment.apps/web unchanged\n');
  });

  test('rollout status reports a passed progress deadline', async () => {
    await applyWeb({ podAnnotations: { 'sim.atom-actions.io/behavior': 'never-ready' }, spec: { progressDeadlineSeconds: 30 } });

    const status = await kubectl(sim, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(status.code).toBe(1);
    expect(status.stderr).toBe('error: deployment "web" exceeded its progress deadline\n');
  });

  test('set image, history and undo', async () => {
    await applyWeb();
    expect((await kubectl(sim, ['rollout', 'status', 'deployment/web'])).code).toBe(0);

    const setImage = await kubectl(sim, ['set', 'image', 'deployment/web', 'app=nginx:1.28']);
    expect(setImage.stdout).toBe('deployment.apps/web image updated\n');
    expect((await kubectl(sim, ['rollout', 'status', 'deployment/web'])).code).toBe(0);

    const history = await kubectl(sim, ['rollout', 'history', 'deployment/web']);
    expect(history.stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');

    const first = await kubectl(sim, ['rollout', 'history', 'deployment/web', '--revision=1']);
    expect(first.stdout).toContain('deployment.apps/web with revision #1');
    expect(first.stdout).toContain('Image:\tnginx:1.27');

    const undo = await kubectl(sim, ['rollout', 'undo', 'deployment/web']);
    expect(undo.stdout).toBe('deployment.apps/web rolled back\n');
    expect((await kubectl(sim, ['rollout', 'status', 'deployment/web'])).code).toBe(0);

    // Rolling back re-used revision 1's ReplicaSet as revision 3.
    const after = await kubectl(sim, ['rollout', 'history', 'deployment/web']);
    expect(after.stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
    const image = await kubectl(sim, ['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    expect(image.stdout).toBe('nginx:1.27');
    const replicaSets = await kubectl(sim, ['get', 'rs', '-o', 'json']);
    const reused = JSON.parse(replicaSets.stdout).items.find((rs: any) => rs.metadata.annotations['deployment.kubernetes.io/revision'] === '3');
    expect(reused.metadata.annotations['deployment.kubernetes.io/revision-history']).toBe('1');
  });

  test('undo to a revision and its errors', async () => {
    await applyWeb();
    await sim.settle();
    await kubectl(sim, ['set', 'image', 'deployment/web', 'app=nginx:1.28']);
    await sim.settle();

    const missing = await kubectl(sim, ['rollout', 'undo', 'deployment/web', '--to-revision=9']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: unable to find specified revision 9 in history\n');

    const current = await kubectl(sim, ['rollout', 'undo', 'deployment/web', '--to-revision=2']);
    expect(current.code).toBe(0);
    expect(current.stdout).toBe('deployment.apps/web skipped rollback (current template already matches revision 2)\n');

    const toFirst = await kubectl(sim, ['rollout', 'undo', 'deployment/web', '--to-revision=1']);
    expect(toFirst.stdout).toBe('deployment.apps/web rolled back\n');

    await kubectl(sim, ['rollout', 'pause', 'deployment/web']);
    const paused = await kubectl(sim, ['rollout', 'undo', 'deployment/web']);
    expect(paused.code).toBe(1);
    expect(paused.stderr).toBe("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n");
  });

  test('undo without history fails', async () => {
    await applyWeb();
    await sim.settle();

    const undo = await kubectl(sim, ['rollout', 'undo', 'deployment/web']);
    expect(undo.code).toBe(1);
    expect(undo.stderr).toBe('error: no rollout history found for deployment "web"\n');
  });

  test('scale changes replicas', async () => {
    await applyWeb();
    const scaled = await kubectl(sim, ['scale', 'deployment/web', '--replicas=4']);
    expect(scaled.stdout).toBe('deployment.apps/web scaled\n');
    await sim.settle();

    const deployment = JSON.parse((await kubectl(sim, ['get', 'deployment', 'web', '-o', 'json'])).stdout);
    expect(deployment.spec.replicas).toBe(4);
    expect(deployment.status.availableReplicas).toBe(4);
    expect(deployment.status.readyReplicas).toBe(4);
    expect(deployment.status.updatedReplicas).toBe(4);
    expect(deployment.status.observedGeneration).toBe(deployment.metadata.generation);
    expect(deployment.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
  });
});
