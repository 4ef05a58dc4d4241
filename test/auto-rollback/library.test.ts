import { describe, expect, test } from '@jest/globals';

import { ConfigurationError } from '@atom-actions/shared/errors';
import { InputReader } from '@atom-actions/shared/inputs';
import { loadKubeConfig } from '@atom-actions/shared/kube/config';
import { KubeApiError } from '@atom-actions/shared/kube/errors';
import { callWithRetry } from '@atom-actions/shared/kube/retry';
import { formatSelector, orderHistory, RollbackError, selectRevision } from '@atom-actions/shared/rollback/history';
import { readRollbackInputs } from '@atom-actions/shared/rollback/inputs';
import type { Deployment, ReplicaSet } from '@atom-actions/shared/rollback/objects';
import { isNewDeadlineExceeded, rolloutStatus } from '@atom-actions/shared/rollback/status';
import { equalIgnoreHash, rollbackAnnotations } from '@atom-actions/shared/rollback/template';

const uid = 'deployment-uid';

function template(image: string, hash?: string): NonNullable<ReplicaSet['spec']>['template'] {
  return {
    metadata: { labels: { app: 'atom', ...(hash ? { 'pod-template-hash': hash } : {}) } },
    spec: { containers: [{ name: 'app', image }] },
  };
}

function deployment(image: string, overrides: Partial<Deployment['spec']> = {}): Deployment {
  return {
    metadata: { name: 'atom', namespace: 'default', uid, annotations: { 'deployment.kubernetes.io/revision': '3' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'atom' } }, template: template(image), ...overrides },
  };
}

function replicaSet(name: string, revision: string | undefined, image: string, created: string, annotations: Record<string, string> = {}): ReplicaSet {
  return {
    metadata: {
      name,
      creationTimestamp: created,
      annotations: { ...(revision === undefined ? {} : { 'deployment.kubernetes.io/revision': revision }), ...annotations },
      ownerReferences: [{ kind: 'Deployment', name: 'atom', uid, controller: true }],
    },
    spec: { replicas: 0, template: template(image, name.slice(-4)) },
  };
}

const history = [
  replicaSet('atom-aaaa', '1', 'atom:1.1', '2024-01-01T00:00:00Z'),
  replicaSet('atom-bbbb', '2', 'atom:1.2', '2024-01-02T00:00:00Z', { 'kubernetes.io/change-cause': 'deploy 1.2' }),
  replicaSet('atom-cccc', '3', 'atom:1.3', '2024-01-03T00:00:00Z'),
];

describe('selectRevision', () => {
  test('previous revision by default', () => {
    const current = deployment('atom:1.3');
    const selected = selectRevision(current, orderHistory(current, history), 0);
    expect(selected.revision).toBe(2);
    expect(selected.replicaSet.metadata.name).toBe('atom-bbbb');
  });

  test('named revision', () => {
    const current = deployment('atom:1.3');
    expect(selectRevision(current, orderHistory(current, history), 1).replicaSet.metadata.name).toBe('atom-aaaa');
  });

  test('missing revision uses kubectl message', () => {
    const current = deployment('atom:1.3');
    expect(() => selectRevision(current, orderHistory(current, history), 7)).toThrow(RollbackError);
    expect(() => selectRevision(current, orderHistory(current, history), 7)).toThrow(/^unable to find specified revision 7 in history \(revisions in history: 1, 2, 3\)$/);
  });

  test('single revision has no history', () => {
    const current = deployment('atom:1.3');
    expect(() => selectRevision(current, orderHistory(current, [history[2]!]), 0)).toThrow('no rollout history found for deployment "atom"');
  });

  test('duplicate highest revision counts as previous', () => {
    const current = deployment('atom:1.3');
    const duplicate = replicaSet('atom-dddd', '3', 'atom:1.4', '2024-01-04T00:00:00Z');
    const ordered = orderHistory(current, [...history, duplicate]);
    const selected = selectRevision(current, ordered, 0);
    // kubectl walks old ReplicaSets first and the current one last, so the current one is the repeat.
    expect(selected.revision).toBe(3);
    expect(selected.replicaSet.metadata.name).toBe('atom-cccc');
  });

  test('unparseable revision is ignored', () => {
    const current = deployment('atom:1.3');
    const broken = replicaSet('atom-eeee', 'x', 'atom:0.9', '2023-12-01T00:00:00Z');
    const selected = selectRevision(current, orderHistory(current, [broken, ...history]), 0);
    expect(selected.revision).toBe(2);
  });
});

describe('orderHistory', () => {
  test('current ReplicaSet goes last', () => {
    const current = deployment('atom:1.1');
    const ordered = orderHistory(current, [...history].reverse());
    expect(ordered.replicaSets.map((item) => item.metadata.name)).toEqual(['atom-bbbb', 'atom-cccc', 'atom-aaaa']);
    expect(ordered.current?.metadata.name).toBe('atom-aaaa');
  });
});

describe('templates and annotations', () => {
  test('hash label and empty fields are ignored', () => {
    const withExtras = template('atom:1.2', 'bbbb');
    (withExtras as { metadata: Record<string, unknown> }).metadata['creationTimestamp'] = null;
    (withExtras as { spec: Record<string, unknown> }).spec['volumes'] = [];
    expect(equalIgnoreHash(withExtras, template('atom:1.2'))).toBe(true);
    expect(equalIgnoreHash(template('atom:1.2'), template('atom:1.3'))).toBe(false);
  });

  test('annotations follow kubectl skip list', () => {
    const current = deployment('atom:1.3');
    current.metadata.annotations = {
      'deployment.kubernetes.io/revision': '3',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'team': 'payments',
    };
    const target = replicaSet('atom-bbbb', '2', 'atom:1.2', '2024-01-02T00:00:00Z', { 'kubernetes.io/change-cause': 'deploy 1.2', 'deployment.kubernetes.io/desired-replicas': '3' });
    expect(rollbackAnnotations(current, target, { 'atom-actions.io/rolled-back-from': '3' })).toEqual({
      'deployment.kubernetes.io/revision': '3',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'kubernetes.io/change-cause': 'deploy 1.2',
      'atom-actions.io/rolled-back-from': '3',
    });
  });

  test('selector formats every operator', () => {
    const selector = {
      matchLabels: { app: 'atom' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['web', 'api'] },
        { key: 'track', operator: 'NotIn', values: ['canary'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    };
    expect(formatSelector(selector)).toBe('!legacy,app=atom,team,tier in (api,web),track notin (canary)');
  });
});

describe('rolloutStatus', () => {
  function withStatus(status: Deployment['status'], generation = 2): Deployment {
    const result = deployment('atom:1.2');
    result.metadata.generation = generation;
    result.status = status;
    return result;
  }

  test('messages match kubectl', () => {
    expect(rolloutStatus(withStatus({ observedGeneration: 1 })).message).toBe('Waiting for deployment spec update to be observed...');
    expect(rolloutStatus(withStatus({ observedGeneration: 2, updatedReplicas: 1, replicas: 4 })).message).toBe('Waiting for deployment "atom" rollout to finish: 1 out of 3 new replicas have been updated...');
    expect(rolloutStatus(withStatus({ observedGeneration: 2, updatedReplicas: 3, replicas: 4 })).message).toBe('Waiting for deployment "atom" rollout to finish: 1 old replicas are pending termination...');
    expect(rolloutStatus(withStatus({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).message).toBe('Waiting for deployment "atom" rollout to finish: 2 of 3 updated replicas are available...');
    const done = rolloutStatus(withStatus({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }));
    expect(done).toEqual({ message: 'deployment "atom" successfully rolled out', done: true });
  });

  test('left-over deadline condition is ignored', () => {
    const condition = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', lastUpdateTime: '2024-01-03T00:10:00Z' };
    const stale = withStatus({ observedGeneration: 2, conditions: [{ ...condition, lastUpdateTime: '2024-01-03T00:20:00Z' }] });
    expect(isNewDeadlineExceeded(stale, condition, 2, false)).toBe(false);
    expect(isNewDeadlineExceeded(stale, condition, 2, true)).toBe(true);

    const progressing = { ...condition, status: 'True', reason: 'NewReplicaSetAvailable' };
    expect(isNewDeadlineExceeded(stale, progressing, 2, false)).toBe(true);

    const unobserved = withStatus({ observedGeneration: 1, conditions: [condition] }, 2);
    expect(isNewDeadlineExceeded(unobserved, progressing, 2, true)).toBe(false);
  });
});

describe('readRollbackInputs', () => {
  function reader(values: Record<string, string>): InputReader {
    return new InputReader((name) => values[name] ?? '', '/nonexistent-workspace');
  }

  test('defaults and lists', () => {
    const inputs = readRollbackInputs(reader({ deployments: 'atom, api\natom' }));
    expect(inputs).toMatchObject({ deployments: ['atom', 'api'], namespace: 'default', toRevision: undefined, timeoutMs: 300_000, wait: true, dryRun: false });
  });

  test('prefix applies to every name', () => {
    const inputs = readRollbackInputs(reader({ 'rollback-deployments': 'atom', 'rollback-to-revision': '4' }), { prefix: 'rollback-' });
    expect(inputs.deployments).toEqual(['atom']);
    expect(inputs.toRevision).toBe(4);
  });

  test('negative revision is rejected', () => {
    expect(() => readRollbackInputs(reader({ deployments: 'atom', 'to-revision': '-1' }))).toThrow('Input "to-revision" has an invalid value "-1": expected a whole number of at least 1.');
  });

  test('invalid deployment name is rejected', () => {
    expect(() => readRollbackInputs(reader({ deployments: 'Atom_API' }))).toThrow(ConfigurationError);
  });
});

describe('loadKubeConfig', () => {
  test('broken kubeconfig names its source', () => {
    expect(() => loadKubeConfig({ kubeconfig: 'clusters: [unclosed', env: {} })).toThrow(/^The kubeconfig from input "kubeconfig" is not valid/);
  });

  test('unknown context suggests a close one', () => {
    const kubeconfig = [
      'apiVersion: v1',
      'clusters: [{name: sim, cluster: {server: "https://127.0.0.1:6443"}}]',
      'users: [{name: sim, user: {token: abc}}]',
      'contexts: [{name: staging, context: {cluster: sim, user: sim}}]',
      'current-context: staging',
    ].join('\n');
    expect(() => loadKubeConfig({ kubeconfig, context: 'stagin', env: {} })).toThrow('Did you mean "staging"?');
    expect(loadKubeConfig({ kubeconfig, env: {} }).server).toBe('https://127.0.0.1:6443');
  });

  test('no source at all is a configuration error', () => {
    expect(() => loadKubeConfig({ env: {} })).toThrow(ConfigurationError);
  });
});

describe('callWithRetry', () => {
  const fast = { initialDelayMs: 1, maxDelayMs: 2, multiplier: 2 };

  test('retries 5xx until success', async () => {
    let calls = 0;
    const result = await callWithRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw new KubeApiError('server error', 503, 'ServiceUnavailable', 'status');
        return 'ok';
      },
      { action: 'read deployment', deadline: Date.now() + 10_000, idempotent: true, backoff: fast },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  test('never retries 409', async () => {
    let calls = 0;
    const conflict = callWithRetry(
      async () => {
        calls += 1;
        throw new KubeApiError('conflict', 409, 'Conflict', 'status');
      },
      { action: 'patch deployment', deadline: Date.now() + 10_000, idempotent: true, backoff: fast },
    );
    await expect(conflict).rejects.toMatchObject({ status: 409 });
    expect(calls).toBe(1);
  });

  test('stops at the deadline', async () => {
    let calls = 0;
    const failing = callWithRetry(
      async () => {
        calls += 1;
        throw new KubeApiError('server error', 500, 'InternalError', 'status');
      },
      { action: 'read deployment', deadline: Date.now() + 50, idempotent: true, backoff: { initialDelayMs: 20, maxDelayMs: 20, multiplier: 1 } },
    );
    await expect(failing).rejects.toThrow(/Gave up after \d+ attempts/);
    expect(calls).toBeGreaterThan(1);
  });
});
