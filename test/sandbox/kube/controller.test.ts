import { afterEach, describe, expect, test } from '@jest/globals';

import { kinds } from '@atom-actions/sandbox/kube/resources';
import type { KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import type { Deployment, KubeObject, ReplicaSet } from '@atom-actions/sandbox/kube/types';

import { deploymentManifest, startSim } from './helpers.ts';

let sim: KubeSimulator | undefined;

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(timeScale = 50): Promise<KubeSimulator> {
  sim = await startSim({ timeScale });
  return sim;
}

function create(current: KubeSimulator, manifest: Record<string, any>): Deployment {
  return current.registry.create(kinds.deployment, 'default', manifest as KubeObject) as Deployment;
}

function deployment(current: KubeSimulator, name = 'web'): Deployment {
  return current.store.get(kinds.deployment, 'default', name) as Deployment;
}

function replicaSets(current: KubeSimulator): ReplicaSet[] {
  return current.store.list(kinds.replicaSet, 'default') as ReplicaSet[];
}

function setImage(current: KubeSimulator, image: string, name = 'web'): void {
  const live = deployment(current, name);
  live.spec.template.spec.containers[0]!.image = image;
  current.registry.update(kinds.deployment, 'default', name, live);
}

/** Records the ReplicaSet totals after every ReplicaSet write. */
function trackTotals(current: KubeSimulator): { desired: number; available: number }[] {
  const totals: { desired: number; available: number }[] = [];
  current.store.subscribe((event) => {
    if (event.resource !== kinds.replicaSet) return;
    const all = replicaSets(current);
    totals.push({
      desired: all.reduce((sum, rs) => sum + rs.spec.replicas, 0),
      available: all.reduce((sum, rs) => sum + (rs.status?.availableReplicas ?? 0), 0),
    });
  });
  return totals;
}

function condition(current: Deployment, type: string) {
  return current.status?.conditions?.find((entry) => entry.type === type);
}

describe('simulated deployment controller', () => {
  test('rolling update stays within maxSurge and maxUnavailable', async () => {
    const current = await start();
    create(current, deploymentManifest('web', { replicas: 10 }));
    await current.settle();

    const totals = trackTotals(current);
    setImage(current, 'nginx:1.28');
    await current.settle();

    // 25% of 10: maxSurge rounds up to 3, maxUnavailable rounds down to 2.
    expect(Math.max(...totals.map((total) => total.desired))).toBe(13);
    expect(Math.min(...totals.map((total) => total.available))).toBeGreaterThanOrEqual(8);
    const done = deployment(current);
    expect(done.status?.updatedReplicas).toBe(10);
    expect(done.status?.availableReplicas).toBe(10);
    expect(replicaSets(current).map((rs) => rs.spec.replicas).sort()).toEqual([0, 10]);
  });

  test('maxUnavailable 0 keeps every replica available', async () => {
    const current = await start();
    create(current, deploymentManifest('web', { replicas: 3, spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }));
    await current.settle();

    const totals = trackTotals(current);
    setImage(current, 'nginx:1.28');
    await current.settle();
    expect(Math.max(...totals.map((total) => total.desired))).toBe(4);
    expect(Math.min(...totals.map((total) => total.available))).toBe(3);
  });

  test('scaling mid-rollout is proportional', async () => {
    const current = await start();
    create(current, deploymentManifest('web', { replicas: 10 }));
    await current.settle();

    // The new pods never turn ready, so the rollout stops with both ReplicaSets active.
    const live = deployment(current);
    live.spec.template.metadata!.annotations = { 'sim.atom-actions.io/behavior': 'never-ready' };
    live.spec.template.spec.containers[0]!.image = 'nginx:1.28';
    current.registry.update(kinds.deployment, 'default', 'web', live);
    await current.settle();
    const before = Object.fromEntries(replicaSets(current).map((rs) => [rs.spec.template.spec.containers[0]!.image, rs.spec.replicas]));
    expect(before).toEqual({ 'nginx:1.27': 8, 'nginx:1.28': 5 });

    const scaled = deployment(current);
    scaled.spec.replicas = 20;
    current.registry.update(kinds.deployment, 'default', 'web', scaled);
    await current.settle();

    // 13 replicas allowed before (10 + maxSurge 3) become 25 (20 + 5), split in proportion: 8 -> 15, 5 -> 10.
    const after = Object.fromEntries(replicaSets(current).map((rs) => [rs.spec.template.spec.containers[0]!.image, rs.spec.replicas]));
    expect(after).toEqual({ 'nginx:1.27': 15, 'nginx:1.28': 10 });
  });

  test('recreate scales old to zero first', async () => {
    const current = await start();
    create(current, deploymentManifest('web', { replicas: 2, spec: { strategy: { type: 'Recreate' } } }));
    await current.settle();

    const overlaps: number[] = [];
    current.store.subscribe(() => {
      const pods = current.store.list(kinds.pod, 'default');
      const images = new Set(pods.map((pod) => pod.spec?.containers[0].image));
      overlaps.push(images.size);
    });
    setImage(current, 'nginx:1.28');
    await current.settle();

    expect(Math.max(...overlaps)).toBe(1);
    expect(deployment(current).status?.availableReplicas).toBe(2);
    expect(current.store.list(kinds.pod, 'default').map((pod) => pod.spec?.containers[0].image)).toEqual(['nginx:1.28', 'nginx:1.28']);
  });

  test('revision history limit deletes old ReplicaSets', async () => {
    const current = await start();
    create(current, deploymentManifest('web', { spec: { revisionHistoryLimit: 1 } }));
    for (const image of ['nginx:1.28', 'nginx:1.29', 'nginx:1.30']) {
      await current.settle();
      setImage(current, image);
    }
    await current.settle();

    const remaining = replicaSets(current).map((rs) => [rs.metadata.annotations!['deployment.kubernetes.io/revision'], rs.spec.replicas]);
    expect(remaining.sort()).toEqual([
      ['3', 0],
      ['4', 2],
    ]);
  });

  test('ReplicaSets carry names, labels and annotations', async () => {
    const current = await start();
    const manifest = deploymentManifest('web', { replicas: 4 });
    manifest.metadata.annotations = { 'kubernetes.io/change-cause': 'first release', 'kubectl.kubernetes.io/last-applied-configuration': '{}' };
    create(current, manifest);
    await current.settle();

    const [rs] = replicaSets(current);
    const hash = rs!.metadata.labels!['pod-template-hash']!;
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deployment(current).metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(rs!.metadata.annotations).toEqual({
      'kubernetes.io/change-cause': 'first release',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '4',
      'deployment.kubernetes.io/max-replicas': '5',
    });
    expect(deployment(current).metadata.annotations!['deployment.kubernetes.io/revision']).toBe('1');
  });

  test('scaling events are recorded', async () => {
    const current = await start();
    create(current, deploymentManifest('web', { replicas: 2 }));
    await current.settle();
    setImage(current, 'nginx:1.28');
    await current.settle();

    const events = current.store.list(kinds.event, 'default').filter((event) => event.reason === 'ScalingReplicaSet');
    const [first, second] = replicaSets(current).sort((a, b) => Number(a.metadata.annotations!['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations!['deployment.kubernetes.io/revision']));
    const messages = events.map((event) => event.message);
    expect(messages).toContain(`Scaled up replica set ${first!.metadata.name} to 2 from 0`);
    expect(messages).toContain(`Scaled up replica set ${second!.metadata.name} to 1 from 0`);
    expect(messages).toContain(`Scaled down replica set ${first!.metadata.name} to 0 from 1`);
    expect((events[0]!.involvedObject as { kind: string }).kind).toBe('Deployment');
  });

  test('pause and resume set conditions', async () => {
    const current = await start();
    create(current, deploymentManifest('web'));
    await current.settle();

    const paused = deployment(current);
    paused.spec.paused = true;
    current.registry.update(kinds.deployment, 'default', 'web', paused);
    setImage(current, 'nginx:1.28');
    await current.settle();

    expect(condition(deployment(current), 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    expect(replicaSets(current)).toHaveLength(1);

    const resumed = deployment(current);
    resumed.spec.paused = false;
    current.registry.update(kinds.deployment, 'default', 'web', resumed);
    await current.settle();
    expect(replicaSets(current)).toHaveLength(2);
    expect(condition(deployment(current), 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  test('minReadySeconds delays availability', async () => {
    const current = await start();
    const readyButUnavailable: boolean[] = [];
    current.store.subscribe((event) => {
      if (event.resource !== kinds.replicaSet) return;
      const status = (event.object as ReplicaSet).status;
      readyButUnavailable.push((status?.readyReplicas ?? 0) > (status?.availableReplicas ?? 0));
    });
    create(current, deploymentManifest('web', { spec: { minReadySeconds: 10 } }));
    await current.settle();

    expect(readyButUnavailable).toContain(true);
    expect(deployment(current).status?.availableReplicas).toBe(2);
  });

  test('never-ready pods exceed the progress deadline', async () => {
    const current = await start(100);
    create(current, deploymentManifest('web', { podAnnotations: { 'sim.atom-actions.io/behavior': 'never-ready' }, spec: { progressDeadlineSeconds: 60 } }));

    await current.settle();
    expect(condition(deployment(current), 'Progressing')?.reason).not.toBe('ProgressDeadlineExceeded');

    await current.settle({ includeProgressDeadlines: true });
    const stuck = deployment(current);
    expect(condition(stuck, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(condition(stuck, 'Progressing')?.message).toMatch(/^ReplicaSet "web-[a-z0-9]+" has timed out progressing\.$/);
    expect(condition(stuck, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    expect(stuck.status?.unavailableReplicas).toBe(2);
  });

  test('seeded revisions roll back like real ones', async () => {
    const current = await start();
    current.seed.namespace('shop');
    current.seed.deployment({ name: 'cart', namespace: 'shop', replicas: 2, revisions: [{ image: 'cart:1' }, { image: 'cart:2' }, { image: 'cart:3' }] });
    await current.settle();

    const seeded = current.store.get(kinds.deployment, 'shop', 'cart') as Deployment;
    expect(seeded.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('3');
    expect(seeded.status?.availableReplicas).toBe(2);
    expect((current.store.list(kinds.replicaSet, 'shop') as ReplicaSet[]).map((rs) => rs.spec.replicas).sort()).toEqual([0, 0, 2]);

    // Roll back to revision 2 the way kubectl does: copy its template into the Deployment.
    const target = (current.store.list(kinds.replicaSet, 'shop') as ReplicaSet[]).find((rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision'] === '2')!;
    const template = structuredClone(target.spec.template);
    delete template.metadata!.labels!['pod-template-hash'];
    current.registry.update(kinds.deployment, 'shop', 'cart', { ...seeded, spec: { ...seeded.spec, template } });
    await current.settle();

    const reused = current.store.get(kinds.replicaSet, 'shop', target.metadata.name!) as ReplicaSet;
    expect(reused.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('4');
    expect(reused.metadata.annotations!['deployment.kubernetes.io/revision-history']).toBe('2');
    expect(reused.spec.replicas).toBe(2);
  });
});
