import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';

import type { KubeSimulator } from '@atom-actions/sandbox/kube/simulator';

import { api, deploymentManifest, startSim } from './helpers.ts';

let sim: KubeSimulator;
const deployments = '/apis/apps/v1/namespaces/default/deployments';

beforeEach(async () => {
  sim = await startSim();
});

afterEach(async () => {
  await sim.stop();
});

async function createWeb(): Promise<any> {
  const created = await api(sim, 'POST', deployments, { body: deploymentManifest('web') });
  expect(created.status).toBe(201);
  return created.json;
}

describe('simulated API errors', () => {
  test('missing object gives NotFound status', async () => {
    const response = await api(sim, 'GET', `${deployments}/nope`);
    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });

  test('duplicate create gives AlreadyExists', async () => {
    await createWeb();
    const again = await api(sim, 'POST', deployments, { body: deploymentManifest('web') });
    expect(again.status).toBe(409);
    expect(again.json.reason).toBe('AlreadyExists');
    expect(again.json.message).toBe('deployments.apps "web" already exists');
  });

  test('patch with stale resourceVersion gives Conflict', async () => {
    const created = await createWeb();
    await api(sim, 'PATCH', `${deployments}/web`, { body: { spec: { replicas: 3 } }, contentType: 'application/merge-patch+json' });

    const stale = await api(sim, 'PATCH', `${deployments}/web`, {
      body: { metadata: { resourceVersion: created.metadata.resourceVersion }, spec: { replicas: 4 } },
      contentType: 'application/merge-patch+json',
    });
    expect(stale.status).toBe(409);
    expect(stale.json.reason).toBe('Conflict');

    const current = await api(sim, 'GET', `${deployments}/web`);
    expect(current.json.spec.replicas).toBe(3);
  });

  test('unknown patch type gives 415', async () => {
    await createWeb();
    const response = await api(sim, 'PATCH', `${deployments}/web`, { body: '{}', contentType: 'text/plain' });
    expect(response.status).toBe(415);
    expect(response.json.reason).toBe('UnsupportedMediaType');
  });

  test('strategic merge on a custom resource gives 415', async () => {
    const routes = '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes';
    const created = await api(sim, 'POST', routes, { body: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web' }, spec: { rules: [] } } });
    expect(created.status).toBe(201);

    const strategic = await api(sim, 'PATCH', `${routes}/web`, { body: { spec: {} }, contentType: 'application/strategic-merge-patch+json' });
    expect(strategic.status).toBe(415);
    const merge = await api(sim, 'PATCH', `${routes}/web`, { body: { spec: { hostnames: ['a.example'] } }, contentType: 'application/merge-patch+json' });
    expect(merge.status).toBe(200);
    expect(merge.json.spec.hostnames).toEqual(['a.example']);
  });

  test('apply without fieldManager gives 400', async () => {
    const response = await api(sim, 'PATCH', `${deployments}/web`, { body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n', contentType: 'application/apply-patch+yaml' });
    expect(response.status).toBe(400);
    expect(response.json.reason).toBe('BadRequest');
  });

  test('apply creates the object', async () => {
    const yaml = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec: {containers: [{name: app, image: "nginx:1.27"}]}',
    ].join('\n');
    const response = await api(sim, 'PATCH', `${deployments}/web?fieldManager=ci`, { body: yaml, contentType: 'application/apply-patch+yaml' });
    expect(response.status).toBe(201);
    expect(response.json.spec.replicas).toBe(1);
  });

  test('apply removes fields the manager dropped', async () => {
    const apply = (labels: Record<string, string>, manager: string) =>
      api(sim, 'PATCH', `${deployments}/web?fieldManager=${manager}`, {
        body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels } }),
        contentType: 'application/apply-patch+yaml',
      });
    await createWeb();

    await apply({ owner: 'ci', stage: 'canary' }, 'ci');
    await apply({ team: 'atom' }, 'ops');
    const after = await apply({ owner: 'ci' }, 'ci');

    expect(after.status).toBe(200);
    expect(after.json.metadata.labels).toEqual({ app: 'web', owner: 'ci', team: 'atom' });
    const entry = after.json.metadata.managedFields.find((field: any) => field.manager === 'ci');
    expect(entry.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:owner': {} } } });
  });

  test('invalid selector gives Invalid', async () => {
    const manifest = deploymentManifest('web');
    manifest.spec.selector = { matchLabels: { app: 'other' } };
    const response = await api(sim, 'POST', deployments, { body: manifest });
    expect(response.status).toBe(422);
    expect(response.json.reason).toBe('Invalid');
    expect(response.json.message).toBe(
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    );
  });

  test('missing namespace behaves as a cluster', async () => {
    const list = await api(sim, 'GET', '/apis/apps/v1/namespaces/ghost/deployments');
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([]);

    const get = await api(sim, 'GET', '/apis/apps/v1/namespaces/ghost/deployments/web');
    expect(get.status).toBe(404);
    expect(get.json.message).toBe('deployments.apps "web" not found');

    const create = await api(sim, 'POST', '/apis/apps/v1/namespaces/ghost/deployments', { body: deploymentManifest('web') });
    expect(create.status).toBe(404);
    expect(create.json.message).toBe('namespaces "ghost" not found');
  });

  test('unknown token gives 401', async () => {
    const response = await api(sim, 'GET', deployments, { token: 'wrong' });
    expect(response.status).toBe(401);
    expect(response.json.reason).toBe('Unauthorized');
    const anonymous = await api(sim, 'GET', deployments, { token: null });
    expect(anonymous.status).toBe(401);
  });

  test('denied namespace gives Forbidden', async () => {
    sim.seed.namespace('prod');
    const token = sim.access.addToken('system:serviceaccount:ci:deployer');
    sim.access.deny({ user: 'system:serviceaccount:ci:deployer', namespace: 'prod' });

    const denied = await api(sim, 'GET', '/apis/apps/v1/namespaces/prod/deployments', { token });
    expect(denied.status).toBe(403);
    expect(denied.json.reason).toBe('Forbidden');
    expect(denied.json.message).toBe(
      'deployments.apps is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "deployments" in API group "apps" in the namespace "prod"',
    );

    const patch = await api(sim, 'PATCH', '/apis/apps/v1/namespaces/prod/deployments/web/scale', { token, body: {}, contentType: 'application/merge-patch+json' });
    expect(patch.json.message).toBe(
      'deployments.apps "web" is forbidden: User "system:serviceaccount:ci:deployer" cannot patch resource "deployments/scale" in API group "apps" in the namespace "prod"',
    );

    const allowed = await api(sim, 'GET', deployments, { token });
    expect(allowed.status).toBe(200);
  });
});

describe('simulated API reads', () => {
  test('label selectors support every operator', async () => {
    const labelSets: Record<string, Record<string, string>> = {
      a: { tier: 'web', track: 'stable' },
      b: { tier: 'web', track: 'canary' },
      c: { tier: 'api' },
      d: {},
    };
    for (const [name, labels] of Object.entries(labelSets)) {
      await api(sim, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } } });
    }
    const names = async (selector: string) => {
      const response = await api(sim, 'GET', `/api/v1/namespaces/default/configmaps?labelSelector=${encodeURIComponent(selector)}`);
      expect(response.status).toBe(200);
      return response.json.items.map((item: any) => item.metadata.name);
    };

    expect(await names('tier=web')).toEqual(['a', 'b']);
    expect(await names('tier==web,track=canary')).toEqual(['b']);
    expect(await names('tier!=web')).toEqual(['c', 'd']);
    expect(await names('track in (stable,canary)')).toEqual(['a', 'b']);
    expect(await names('tier notin (web)')).toEqual(['c', 'd']);
    expect(await names('track')).toEqual(['a', 'b']);
    expect(await names('!track')).toEqual(['c', 'd']);

    const bad = await api(sim, 'GET', `/api/v1/namespaces/default/configmaps?labelSelector=${encodeURIComponent('tier in web')}`);
    expect(bad.status).toBe(400);
  });

  test('field selector on metadata.name', async () => {
    await createWeb();
    await api(sim, 'POST', deployments, { body: deploymentManifest('api') });

    const response = await api(sim, 'GET', `${deployments}?fieldSelector=metadata.name%3Dapi`);
    expect(response.json.items.map((item: any) => item.metadata.name)).toEqual(['api']);
    const unsupported = await api(sim, 'GET', `${deployments}?fieldSelector=spec.replicas%3D1`);
    expect(unsupported.status).toBe(400);
    expect(unsupported.json.message).toBe('field label not supported: spec.replicas');
  });

  test('list pages with limit and continue', async () => {
    for (const name of ['a', 'b', 'c']) {
      await api(sim, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } });
    }
    const first = await api(sim, 'GET', '/api/v1/namespaces/default/configmaps?limit=2');
    expect(first.json.items.map((item: any) => item.metadata.name)).toEqual(['a', 'b']);
    const second = await api(sim, 'GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}`);
    expect(second.json.items.map((item: any) => item.metadata.name)).toEqual(['c']);
    expect(second.json.metadata.continue).toBeUndefined();
  });

  test('writes bump resourceVersion and generation', async () => {
    const created = await createWeb();
    expect(created.metadata.generation).toBe(1);

    const scaled = await api(sim, 'PATCH', `${deployments}/web`, { body: { spec: { replicas: 5 } }, contentType: 'application/merge-patch+json' });
    expect(Number(scaled.json.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(scaled.json.metadata.generation).toBe(2);

    const annotated = await api(sim, 'PATCH', `${deployments}/web`, { body: { metadata: { annotations: { note: 'x' } } }, contentType: 'application/merge-patch+json' });
    expect(annotated.json.metadata.generation).toBe(3);

    // A patch that changes nothing is not stored, so the resourceVersion stays.
    await sim.settle();
    const before = await api(sim, 'GET', `${deployments}/web`);
    const unchanged = await api(sim, 'PATCH', `${deployments}/web`, { body: { metadata: { annotations: { note: 'x' } } }, contentType: 'application/merge-patch+json' });
    expect(unchanged.json.metadata.generation).toBe(3);
    expect(unchanged.json.metadata.resourceVersion).toBe(before.json.metadata.resourceVersion);
  });

  test('scale subresource reads and writes replicas', async () => {
    await createWeb();
    await sim.settle();
    const scale = await api(sim, 'GET', `${deployments}/web/scale`);
    expect(scale.json.kind).toBe('Scale');
    expect(scale.json.apiVersion).toBe('autoscaling/v1');
    expect(scale.json.spec.replicas).toBe(2);
    expect(scale.json.status.selector).toBe('app=web');

    const updated = await api(sim, 'PUT', `${deployments}/web/scale`, { body: { ...scale.json, spec: { replicas: 4 } } });
    expect(updated.status).toBe(200);
    const deployment = await api(sim, 'GET', `${deployments}/web`);
    expect(deployment.json.spec.replicas).toBe(4);
  });

  test('delete cascades to ReplicaSets and pods', async () => {
    await createWeb();
    await sim.settle();
    const deleted = await api(sim, 'DELETE', `${deployments}/web`);
    expect(deleted.status).toBe(200);
    expect(deleted.json.status).toBe('Success');

    const replicaSets = await api(sim, 'GET', '/apis/apps/v1/namespaces/default/replicasets');
    expect(replicaSets.json.items).toEqual([]);
    const pods = await api(sim, 'GET', '/api/v1/namespaces/default/pods');
    expect(pods.json.items).toEqual([]);
  });

  test('discovery lists groups and resources', async () => {
    const groups = await api(sim, 'GET', '/apis');
    expect(groups.json.groups.map((group: any) => group.name)).toEqual(['apps', 'networking.k8s.io', 'gateway.networking.k8s.io', 'split.smi-spec.io']);
    const apps = await api(sim, 'GET', '/apis/apps/v1');
    expect(apps.json.resources.map((resource: any) => resource.name)).toEqual([
      'deployments',
      'deployments/status',
      'deployments/scale',
      'replicasets',
      'replicasets/status',
      'replicasets/scale',
    ]);
    const version = await api(sim, 'GET', '/version');
    expect(version.json.minor).toBe('32');
  });
});
