import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';

import type { KubeSimulator } from '@atom-actions/sandbox/kube/simulator';

import { deploymentManifest, startSim, waitFor } from './helpers.ts';

let sim: KubeSimulator;
let config: k8s.KubeConfig;

beforeEach(async () => {
  sim = await startSim();
  config = new k8s.KubeConfig();
  config.loadFromString(sim.kubeconfig);
});

afterEach(async () => {
  await sim.stop();
});

describe('@kubernetes/client-node against the simulator', () => {
  test('kubeconfig keeps TLS verification on', () => {
    const cluster = config.getCurrentCluster()!;
    expect(cluster.server).toBe(sim.url);
    expect(cluster.skipTLSVerify).toBe(false);
    expect(Buffer.from(cluster.caData!, 'base64').toString()).toBe(sim.caPem);
  });

  test('creates, lists and reads status', async () => {
    const apps = config.makeApiClient(k8s.AppsV1Api);
    const core = config.makeApiClient(k8s.CoreV1Api);
    await apps.createNamespacedDeployment({ namespace: 'default', body: deploymentManifest('web', { replicas: 3 }) as k8s.V1Deployment });
    await sim.settle();

    const list = await apps.listNamespacedDeployment({ namespace: 'default', labelSelector: 'app in (web,api)' });
    expect(list.items.map((item) => item.metadata?.name)).toEqual(['web']);

    const status = await apps.readNamespacedDeploymentStatus({ name: 'web', namespace: 'default' });
    expect(status.status?.availableReplicas).toBe(3);
    expect(status.status?.conditions?.find((condition) => condition.type === 'Available')?.status).toBe('True');

    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
    expect(pods.items).toHaveLength(3);
    expect(pods.items.every((pod) => pod.status?.containerStatuses?.[0]?.ready === true)).toBe(true);
  });

  test('patches with each content type', async () => {
    const apps = config.makeApiClient(k8s.AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: 'default', body: deploymentManifest('web') as k8s.V1Deployment });

    const merged = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { spec: { replicas: 3 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merged.spec?.replicas).toBe(3);

    const strategic = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.spec?.template.spec?.containers.map((container) => container.image)).toEqual(['nginx:1.28']);
    expect(strategic.metadata?.generation).toBe(3);

    const json = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: [{ op: 'replace', path: '/spec/replicas', value: 1 }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    expect(json.spec?.replicas).toBe(1);

    const applied = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', fieldManager: 'atom-test', body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { team: 'atom' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply),
    );
    expect(applied.metadata?.labels).toEqual({ app: 'web', team: 'atom' });
    expect(applied.metadata?.managedFields?.some((entry) => entry.manager === 'atom-test' && entry.operation === 'Apply')).toBe(true);
  });

  test('stale resourceVersion gives 409', async () => {
    const apps = config.makeApiClient(k8s.AppsV1Api);
    const created = await apps.createNamespacedDeployment({ namespace: 'default', body: deploymentManifest('web') as k8s.V1Deployment });
    await apps.patchNamespacedDeployment({ name: 'web', namespace: 'default', body: { spec: { replicas: 3 } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));

    const stale = { ...created, spec: { ...created.spec!, replicas: 5 } };
    const failure = await apps.replaceNamespacedDeployment({ name: 'web', namespace: 'default', body: stale }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(k8s.ApiException);
    const apiError = failure as k8s.ApiException<string>;
    expect(apiError.code).toBe(409);
    const body = JSON.parse(apiError.body);
    expect(body.reason).toBe('Conflict');
    expect(body.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  test('watch streams rollout progress', async () => {
    const apps = config.makeApiClient(k8s.AppsV1Api);
    const initial = await apps.listNamespacedDeployment({ namespace: 'default' });
    const events: { phase: string; available: number }[] = [];
    let ended: unknown = 'open';

    const watch = new k8s.Watch(config);
    const controller = await watch.watch(
      '/apis/apps/v1/namespaces/default/deployments',
      { resourceVersion: initial.metadata?.resourceVersion },
      (phase, object) => events.push({ phase, available: object.status?.availableReplicas ?? 0 }),
      (error) => {
        ended = error;
      },
    );
    await apps.createNamespacedDeployment({ namespace: 'default', body: deploymentManifest('web') as k8s.V1Deployment });
    await waitFor(() => events.some((event) => event.available === 2), 10_000, 'a MODIFIED event with 2 available replicas');
    controller.abort();

    expect(events[0]).toEqual({ phase: 'ADDED', available: 0 });
    expect(events.slice(1).every((event) => event.phase === 'MODIFIED')).toBe(true);
    expect(ended === 'open' || ended === null || (ended as Error)?.name === 'AbortError').toBe(true);
  });
});
