import { describe, expect, test } from '@jest/globals';

import { applyMergePatch } from '@atom-actions/sandbox/kube/patch/merge-patch';
import { applyStrategicMergePatch } from '@atom-actions/sandbox/kube/patch/strategic-merge';

const live = {
  metadata: { labels: { app: 'web', tier: 'front' }, finalizers: ['a'] },
  spec: {
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'web:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        tolerations: [{ key: 'x' }],
      },
    },
  },
};

describe('strategic merge patch', () => {
  test('merges containers and env by name', () => {
    const patched: any = applyStrategicMergePatch(live, { spec: { template: { spec: { containers: [{ name: 'app', image: 'web:2', env: [{ name: 'B', value: '3' }] }] } } } }, 'Deployment');
    expect(patched.spec.template.spec.containers.map((container: any) => `${container.name}=${container.image}`)).toEqual(['app=web:2', 'sidecar=proxy:1']);
    expect(patched.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '3' }]);
    expect(patched.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
  });

  test('replaces lists without a merge key', () => {
    const patched: any = applyStrategicMergePatch(live, { spec: { template: { spec: { tolerations: [{ key: 'y' }] } } } }, 'Deployment');
    expect(patched.spec.template.spec.tolerations).toEqual([{ key: 'y' }]);
  });

  test('honours $patch delete and replace', () => {
    const deleted: any = applyStrategicMergePatch(live, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }, 'Deployment');
    expect(deleted.spec.template.spec.containers.map((container: any) => container.name)).toEqual(['app']);

    const replaced: any = applyStrategicMergePatch(live, { metadata: { labels: { $patch: 'replace', app: 'api' } } }, 'Deployment');
    expect(replaced.metadata.labels).toEqual({ app: 'api' });
  });

  test('honours $setElementOrder and $retainKeys', () => {
    const ordered: any = applyStrategicMergePatch(
      live,
      { spec: { template: { spec: { $setElementOrder: undefined, '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }], containers: [{ name: 'app', image: 'web:3' }] } } } },
      'Deployment',
    );
    expect(ordered.spec.template.spec.containers.map((container: any) => container.name)).toEqual(['sidecar', 'app']);

    const retained: any = applyStrategicMergePatch(live, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, 'Deployment');
    expect(retained.spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('null removes a key and finalizers merge', () => {
    const patched: any = applyStrategicMergePatch(live, { metadata: { labels: { tier: null }, finalizers: ['b'] } }, 'Deployment');
    expect(patched.metadata.labels).toEqual({ app: 'web' });
    expect(patched.metadata.finalizers).toEqual(['a', 'b']);

    const removed: any = applyStrategicMergePatch(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, 'Deployment');
    expect(removed.metadata.finalizers).toEqual([]);
  });

  test('leaves the input unchanged', () => {
    const before = structuredClone(live);
    applyStrategicMergePatch(live, { spec: { template: { spec: { containers: [{ name: 'app', image: 'web:9' }] } } } }, 'Deployment');
    expect(live).toEqual(before);
  });
});

describe('JSON merge patch', () => {
  test('merges maps and replaces lists', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, list: [1, 2] }, { a: { c: null, d: 3 }, list: [3] })).toEqual({ a: { b: 1, d: 3 }, list: [3] });
  });
});
