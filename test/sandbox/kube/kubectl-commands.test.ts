import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';

import { kinds } from '@atom-actions/sandbox/kube/resources';
import type { KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import type { Pod } from '@atom-actions/sandbox/kube/types';

import { deploymentManifest, kubectl, startSim, waitFor } from './helpers.ts';

let sim: KubeSimulator;

beforeEach(async () => {
  sim = await startSim();
});

afterEach(async () => {
  await sim.stop();
});

async function createWeb(options: Parameters<typeof deploymentManifest>[1] = {}): Promise<void> {
  const applied = await kubectl(sim, ['apply', '-f', '-'], JSON.stringify(deploymentManifest('web', options)));
  expect(applied.code).toBe(0);
  await sim.settle();
}

async function getWeb(): Promise<any> {
  const result = await kubectl(sim, ['get', 'deployment', 'web', '-o', 'json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe('kubectl commands against the simulator', () => {
  test('patch with each type', async () => {
    await createWeb();

    const json = await kubectl(sim, ['patch', 'deployment', 'web', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]']);
    expect(json.stdout).toBe('deployment.apps/web patched\n');
    expect((await getWeb()).spec.replicas).toBe(3);

    const merge = await kubectl(sim, ['patch', 'deployment', 'web', '--type', 'merge', '-p', '{"metadata":{"labels":{"tier":"front"}}}']);
    expect(merge.stdout).toBe('deployment.apps/web patched\n');
    expect((await getWeb()).metadata.labels).toEqual({ app: 'web', tier: 'front' });

    const env = '{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"MODE","value":"canary"}]}]}}}}';
    const strategic = await kubectl(sim, ['patch', 'deployment', 'web', '--type', 'strategic', '-p', env]);
    expect(strategic.stdout).toBe('deployment.apps/web patched\n');
    const container = (await getWeb()).spec.template.spec.containers[0];
    expect(container.image).toBe('nginx:1.27');
    expect(container.env).toEqual([{ name: 'MODE', value: 'canary' }]);

    const again = await kubectl(sim, ['patch', 'deployment', 'web', '--type', 'strategic', '-p', env]);
    expect(again.stdout).toBe('deployment.apps/web patched (no change)\n');
  });

  test('json patch with a failing test op', async () => {
    await createWeb();

    const patch = '[{"op":"test","path":"/spec/replicas","value":7},{"op":"replace","path":"/spec/replicas","value":1}]';
    const result = await kubectl(sim, ['patch', 'deployment', 'web', '--type', 'json', '-p', patch]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The request is invalid');
    expect(result.stderr).toContain('testing value /spec/replicas failed: test failed');
    expect((await getWeb()).spec.replicas).toBe(2);
  });

  test('get -o json shows defaults and status', async () => {
    await createWeb();

    const deployment = await getWeb();
    expect(deployment.apiVersion).toBe('apps/v1');
    expect(deployment.kind).toBe('Deployment');
    expect(deployment.metadata.generation).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(deployment.spec.revisionHistoryLimit).toBe(10);
    expect(deployment.spec.progressDeadlineSeconds).toBe(600);
    const conditions = Object.fromEntries(deployment.status.conditions.map((condition: any) => [condition.type, condition]));
    expect(conditions.Available.reason).toBe('MinimumReplicasAvailable');
    expect(conditions.Available.message).toBe('Deployment has minimum availability.');
    expect(conditions.Progressing.reason).toBe('NewReplicaSetAvailable');
    expect(conditions.Progressing.message).toMatch(/^ReplicaSet "web-[a-z0-9]+" has successfully progressed\.$/);

    const pods = JSON.parse((await kubectl(sim, ['get', 'pods', '-l', 'app=web', '-o', 'json'])).stdout).items;
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}$/);
      expect(pod.metadata.ownerReferences[0].kind).toBe('ReplicaSet');
      expect(pod.status.phase).toBe('Running');
      expect(pod.status.containerStatuses[0].image).toBe('nginx:1.27');
      expect(pod.status.containerStatuses[0].ready).toBe(true);
    }
  });

  test('get prints server-side tables', async () => {
    await createWeb();

    const table = await kubectl(sim, ['get', 'deployments']);
    const [header, row] = table.stdout.trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(row!.split(/\s+/).slice(0, 4)).toEqual(['web', '2/2', '2', '2']);

    const missing = await kubectl(sim, ['get', 'deployment', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  test('logs of a deployment pod', async () => {
    await createWeb({ replicas: 1, podAnnotations: { 'sim.atom-actions.io/log': 'starting {pod}\nlistening on :8080\nready' } });

    const logs = await kubectl(sim, ['logs', 'deployment/web']);
    expect(logs.code).toBe(0);
    const lines = logs.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^starting web-[a-z0-9]+-[a-z0-9]{5}$/);
    expect(lines.slice(1)).toEqual(['listening on :8080', 'ready']);

    const tail = await kubectl(sim, ['logs', 'deployment/web', '--tail=1']);
    expect(tail.stdout).toBe('ready\n');
    const wrongContainer = await kubectl(sim, ['logs', 'deployment/web', '-c', 'sidecar']);
    expect(wrongContainer.code).toBe(1);
    expect(wrongContainer.stderr).toContain('container sidecar is not valid for pod web-');
  });

  test('create namespace and server-side apply', async () => {
    const namespace = await kubectl(sim, ['create', 'namespace', 'team-a']);
    expect(namespace.stdout).toBe('namespace/team-a created\n');
    const configMap = await kubectl(sim, ['create', 'configmap', 'settings', '--from-literal=mode=canary', '-n', 'team-a']);
    expect(configMap.stdout).toBe('configmap/settings created\n');
    expect((await kubectl(sim, ['get', 'configmap', 'settings', '-n', 'team-a', '-o', 'jsonpath={.data.mode}'])).stdout).toBe('canary');

    const applied = await kubectl(sim, ['apply', '--server-side', '-n', 'team-a', '-f', '-'], JSON.stringify(deploymentManifest('web')));
    expect(applied.stdout).toBe('deployment.apps/web serverside-applied\n');
    const reapplied = await kubectl(sim, ['apply', '--server-side', '-n', 'team-a', '-f', '-'], JSON.stringify(deploymentManifest('web', { replicas: 3 })));
    expect(reapplied.code).toBe(0);
    expect((await kubectl(sim, ['get', 'deployment', 'web', '-n', 'team-a', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('3');

    const deleted = await kubectl(sim, ['delete', 'namespace', 'team-a']);
    expect(deleted.stdout).toBe('namespace "team-a" deleted\n');
    // kubectl follows a NotFound with a GET of the namespace and reports the missing namespace.
    const gone = await kubectl(sim, ['get', 'deployment', 'web', '-n', 'team-a']);
    expect(gone.stderr).toBe('Error from server (NotFound): namespaces "team-a" not found\n');
  });

  test('crash-looping pods show restarts', async () => {
    await sim.stop();
    sim = await startSim({ timeScale: 200 });
    await createWeb({ replicas: 1, podAnnotations: { 'sim.atom-actions.io/behavior': 'crash-loop' } });

    const restarts = () => (sim.store.list(kinds.pod, 'default')[0] as Pod | undefined)?.status?.containerStatuses?.[0]?.restartCount ?? 0;
    await waitFor(() => restarts() >= 2, 10_000, 'two restarts');
    const name = sim.store.list(kinds.pod, 'default')[0]!.metadata.name!;

    const status = JSON.parse((await kubectl(sim, ['get', 'pod', name, '-o', 'json'])).stdout).status.containerStatuses[0];
    expect(status.restartCount).toBeGreaterThanOrEqual(2);
    expect(status.ready).toBe(false);
    expect(status.lastState.terminated.exitCode).toBe(1);

    const table = await kubectl(sim, ['get', 'pods']);
    expect(table.stdout).toMatch(/web-\S+\s+0\/1\s+(CrashLoopBackOff|Running)\s+\d+/);
  });
});
