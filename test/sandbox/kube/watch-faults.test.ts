import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { Agent, request } from 'undici';

import type { KubeSimulator } from '@atom-actions/sandbox/kube/simulator';

import { api, deploymentManifest, startSim, waitFor } from './helpers.ts';

let sim: KubeSimulator;
const configMaps = '/api/v1/namespaces/default/configmaps';

beforeEach(async () => {
  sim = await startSim();
});

afterEach(async () => {
  await sim.stop();
});

interface OpenWatch {
  events: { type: string; object: any }[];
  ended: Promise<void>;
  close: () => Promise<void>;
}

/** Opens a watch and collects its newline-delimited JSON events until it ends or is closed. */
async function openWatch(path: string, accept?: string): Promise<OpenWatch> {
  const dispatcher = new Agent({ connect: { ca: sim.caPem } });
  const headers: Record<string, string> = { authorization: `Bearer ${sim.token}` };
  if (accept) headers.accept = accept;
  const response = await request(`${sim.url}${path}`, { headers, dispatcher });
  expect(response.statusCode).toBe(200);
  const events: { type: string; object: any }[] = [];
  const ended = (async () => {
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += chunk.toString();
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buffer.slice(0, newline)));
          buffer = buffer.slice(newline + 1);
        }
      }
    } catch {
      // A dropped or aborted stream ends the watch.
    }
  })();
  return {
    events,
    ended,
    close: async () => {
      await dispatcher.destroy();
      await ended;
    },
  };
}

function configMap(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } };
}

describe('simulated watch', () => {
  test('replays changes after a resourceVersion', async () => {
    const first = await api(sim, 'POST', configMaps, { body: configMap('a') });
    await api(sim, 'POST', configMaps, { body: configMap('b') });
    await api(sim, 'DELETE', `${configMaps}/a`);

    const watch = await openWatch(`${configMaps}?watch=true&resourceVersion=${first.json.metadata.resourceVersion}`);
    await waitFor(() => watch.events.length >= 2, 5000, 'two replayed events');
    expect(watch.events.map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual(['ADDED b', 'DELETED a']);
    await watch.close();
  });

  test('without resourceVersion starts with ADDED', async () => {
    await api(sim, 'POST', configMaps, { body: configMap('a') });
    const watch = await openWatch(`${configMaps}?watch=1`);
    await api(sim, 'POST', configMaps, { body: configMap('b') });

    await waitFor(() => watch.events.length >= 2, 5000, 'two events');
    expect(watch.events.map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b']);
    expect(watch.events[0]!.object.kind).toBe('ConfigMap');
    await watch.close();
  });

  test('too old resourceVersion gives Expired', async () => {
    const created = await api(sim, 'POST', configMaps, { body: configMap('a') });
    await api(sim, 'POST', configMaps, { body: configMap('b') });
    sim.store.compact();

    const watch = await openWatch(`${configMaps}?watch=true&resourceVersion=${created.json.metadata.resourceVersion}`);
    await watch.ended;
    expect(watch.events).toHaveLength(1);
    expect(watch.events[0]!.type).toBe('ERROR');
    expect(watch.events[0]!.object.code).toBe(410);
    expect(watch.events[0]!.object.reason).toBe('Expired');
  });

  test('selector changes become ADDED and DELETED', async () => {
    await api(sim, 'POST', configMaps, { body: configMap('a', { track: 'stable' }) });
    const watch = await openWatch(`${configMaps}?watch=true&labelSelector=track%3Dcanary`);

    await api(sim, 'PATCH', `${configMaps}/a`, { body: { metadata: { labels: { track: 'canary' } } }, contentType: 'application/merge-patch+json' });
    await api(sim, 'PATCH', `${configMaps}/a`, { body: { data: { k: 'v' } }, contentType: 'application/merge-patch+json' });
    await api(sim, 'PATCH', `${configMaps}/a`, { body: { metadata: { labels: { track: 'stable' } } }, contentType: 'application/merge-patch+json' });

    await waitFor(() => watch.events.length >= 3, 5000, 'three events');
    expect(watch.events.map((event) => event.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    await watch.close();
  });

  test('table watch sends one-row tables', async () => {
    await api(sim, 'POST', configMaps, { body: configMap('a') });
    const watch = await openWatch(`${configMaps}?watch=true`, 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');

    await waitFor(() => watch.events.length >= 1, 5000, 'one event');
    const table = watch.events[0]!.object;
    expect(table.kind).toBe('Table');
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0].cells[0]).toBe('a');
    await watch.close();
  });

  test('timeoutSeconds ends the stream', async () => {
    const watch = await openWatch(`${configMaps}?watch=true&timeoutSeconds=1`);
    await watch.ended;
    expect(watch.events).toEqual([]);
  });
});

describe('fault injection', () => {
  test('status fault answers a limited number of times', async () => {
    const fault = sim.faults.add({ method: 'GET', pathPattern: '/apis/apps/v1/namespaces/*/deployments', status: 503, retryAfterSeconds: 2, times: 2 });

    const first = await api(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments');
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    expect(first.json.reason).toBe('ServiceUnavailable');
    expect((await api(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments')).status).toBe(503);
    expect((await api(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments')).status).toBe(200);
    expect(fault.hits).toBe(2);

    const recorded = sim.requests.filter((entry) => entry.path === '/apis/apps/v1/namespaces/default/deployments').map((entry) => entry.status);
    expect(recorded).toEqual([503, 503, 200]);
  });

  test('conflict fault rejects writes', async () => {
    await api(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: deploymentManifest('web') });
    sim.faults.add({ method: 'PATCH', pathPattern: /deployments\/web$/, conflict: true, times: 1 });

    const patch = () => api(sim, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { body: { spec: { replicas: 3 } }, contentType: 'application/merge-patch+json' });
    const rejected = await patch();
    expect(rejected.status).toBe(409);
    expect(rejected.json.reason).toBe('Conflict');
    expect((await patch()).status).toBe(200);
  });

  test('latency fault holds the answer', async () => {
    sim.faults.add({ pathPattern: '/version', latencyMs: 500 });
    const pending = api(sim, 'GET', '/version');

    // The request is recorded on arrival and gets its status only once the response is sent.
    await waitFor(() => sim.requests.some((entry) => entry.path === '/version'), 5000, 'the request to arrive');
    expect(sim.requests.find((entry) => entry.path === '/version')!.status).toBe(0);
    expect((await pending).status).toBe(200);
    expect(sim.requests.find((entry) => entry.path === '/version')!.status).toBe(200);
  });

  test('dropped watch stream ends early', async () => {
    sim.faults.add({ pathPattern: configMaps, dropWatchAfterMs: 100 });
    const watch = await openWatch(`${configMaps}?watch=true`);
    await watch.ended;
    expect(watch.events).toEqual([]);
    expect(sim.requests.at(-1)!.verb).toBe('watch');
  });
});
