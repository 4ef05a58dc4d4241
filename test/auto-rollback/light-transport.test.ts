import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TLSSocket } from 'node:tls';

import { stringify } from 'yaml';

import type { KubeSimulator } from '@atom-actions/sandbox/kube/simulator';
import { generateTlsMaterial, type TlsMaterial } from '@atom-actions/sandbox/kube/tls';
import { ConfigurationError } from '@atom-actions/shared/errors';
import { connectKube, type KubeConnection } from '@atom-actions/shared/kube/connect';
import { KubeApiError } from '@atom-actions/shared/kube/errors';
import { readKubeCredentials } from '@atom-actions/shared/kube/kubeconfig';
import { rollbackDeployment } from '@atom-actions/shared/rollback/rollback';

import { appliedPatches, memoryLog, startSimulator } from './helpers.ts';

/** One request as the test API server received it. */
interface Received {
  method: string;
  url: string;
  authorization: string;
  contentType: string;
  body: string;
  /** Common name of the client certificate, or '' when the client sent none. */
  clientCertificate: string;
}

const fastBackoff = { initialDelayMs: 10, maxDelayMs: 50, multiplier: 2 };
const serverTls: TlsMaterial = generateTlsMaterial();
const clientTls: TlsMaterial = generateTlsMaterial();
const caData = Buffer.from(serverTls.caPem).toString('base64');
const received: Received[] = [];
let failuresBeforeSuccess = 0;
let server: Server;
let url: string;
let directory: string;
const connections: KubeConnection[] = [];

/** Responds like an API server: a Deployment read, a 404 Status, a flaky path, and a watch of two events. */
function handle(request: IncomingMessage, response: ServerResponse, body: string): void {
  const peer = (request.socket as TLSSocket).getPeerCertificate();
  received.push({
    method: request.method ?? '',
    url: request.url ?? '',
    authorization: request.headers.authorization ?? '',
    contentType: request.headers['content-type'] ?? '',
    body,
    clientCertificate: peer && 'subject' in peer && peer.subject ? String(peer.subject.CN ?? '') : '',
  });

  const target = new URL(request.url ?? '/', 'https://127.0.0.1');
  response.setHeader('content-type', 'application/json');
  if (target.pathname === '/flaky' && failuresBeforeSuccess > 0) {
    failuresBeforeSuccess -= 1;
    response.writeHead(503).end(JSON.stringify({ kind: 'Status', message: 'etcd is unavailable', reason: 'ServiceUnavailable', code: 503 }));
  } else if (target.pathname === '/missing') {
    response.writeHead(404).end(JSON.stringify({ kind: 'Status', message: 'deployments.apps "gone" not found', reason: 'NotFound', code: 404 }));
  } else if (target.pathname === '/watch-denied') {
    response.writeHead(403).end(JSON.stringify({ kind: 'Status', message: 'forbidden', reason: 'Forbidden', code: 403 }));
  } else if (target.searchParams.get('watch') === 'true') {
    response.writeHead(200);
    response.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } })}\n`);
    response.end(`${JSON.stringify({ type: 'MODIFIED', object: { metadata: { name: 'a', resourceVersion: '7' } } })}\n`);
  } else {
    response.writeHead(200).end(JSON.stringify({ kind: 'Deployment', metadata: { name: 'atom' }, echo: body === '' ? undefined : (JSON.parse(body) as unknown) }));
  }
}

beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'atom-light-kube-'));
  server = createServer({ cert: serverTls.certPem, key: serverTls.keyPem, requestCert: true, rejectUnauthorized: false }, (request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => handle(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const connection of connections.splice(0)) connection.close();
  received.length = 0;
  failuresBeforeSuccess = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(directory, { recursive: true, force: true });
});

/** Builds a one-context kubeconfig for the test server with the given cluster and user fields. */
function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>, name = 'test'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: url, 'certificate-authority-data': caData, ...cluster } }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });
}

async function connect(content: string, env: NodeJS.ProcessEnv = {}): Promise<KubeConnection> {
  const connection = await connectKube({ kubeconfig: content, env }, { backoff: fastBackoff });
  connections.push(connection);
  return connection;
}

function writeFile(name: string, content: string, mode = 0o600): string {
  const file = path.join(directory, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
  return file;
}

const inFuture = (): number => Date.now() + 10_000;

describe('readKubeCredentials', () => {
  test('broken YAML names the input', () => {
    expect(() => readKubeCredentials({ kubeconfig: 'clusters: [unclosed', env: {} })).toThrow(/^The kubeconfig from input "kubeconfig" is not valid: /);
  });

  test('cluster without server rejected', () => {
    const content = stringify({ clusters: [{ name: 'a', cluster: {} }], contexts: [], 'current-context': '' });
    expect(() => readKubeCredentials({ kubeconfig: content, env: {} })).toThrow('clusters[0].cluster.server is missing');
  });

  test('unknown context suggests a name', () => {
    expect(() => readKubeCredentials({ kubeconfig: kubeconfig({}, { token: 't' }, 'staging'), context: 'stagin', env: {} })).toThrow('Did you mean "staging"?');
  });

  test('no credentials found', () => {
    expect(() => readKubeCredentials({ env: {} })).toThrow(ConfigurationError);
    expect(() => readKubeCredentials({ env: {} })).toThrow(/^No Kubernetes credentials found/);
  });

  test('missing KUBECONFIG file named', () => {
    expect(() => readKubeCredentials({ env: { KUBECONFIG: path.join(directory, 'absent.yaml') } })).toThrow(/absent\.yaml named in KUBECONFIG was not found/);
  });

  test('KUBECONFIG files merge as kubectl does', () => {
    writeFile('merge/ca.pem', serverTls.caPem);
    const first = writeFile(
      'merge/first.yaml',
      stringify({
        clusters: [{ name: 'shared', cluster: { server: 'https://127.0.0.1:1001', 'certificate-authority': 'ca.pem' } }],
        users: [{ name: 'shared', user: { token: 'first-token' } }],
        contexts: [{ name: 'first', context: { cluster: 'shared', user: 'shared' } }],
        'current-context': 'first',
      }),
    );
    const second = writeFile(
      'merge/nested/second.yaml',
      stringify({
        clusters: [
          { name: 'shared', cluster: { server: 'https://127.0.0.1:2002' } },
          { name: 'other', cluster: { server: 'https://127.0.0.1:3003', 'tls-server-name': 'api.internal' } },
        ],
        users: [{ name: 'other', user: { tokenFile: 'token' } }],
        contexts: [{ name: 'second', context: { cluster: 'other', user: 'other' } }],
        'current-context': 'second',
      }),
    );
    const env = { KUBECONFIG: `${first}:${second}` };

    const current = readKubeCredentials({ env });
    expect(current.context).toBe('first');
    expect(current.server).toBe('https://127.0.0.1:1001');
    expect(current.ca?.toString()).toBe(serverTls.caPem);
    expect(current.token).toBe('first-token');
    expect(current.origin).toBe(`KUBECONFIG (${first}, ${second})`);

    const selected = readKubeCredentials({ env, context: 'second' });
    expect(selected.server).toBe('https://127.0.0.1:3003');
    expect(selected.tlsServerName).toBe('api.internal');
    expect(selected.tokenFile).toBe(path.join(directory, 'merge/nested/token'));
  });

  test('exec and auth-provider need client-node', () => {
    const exec = readKubeCredentials({ kubeconfig: kubeconfig({}, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'true' } }), env: {} });
    const provider = readKubeCredentials({ kubeconfig: kubeconfig({}, { 'auth-provider': { name: 'oidc' } }), env: {} });
    const token = readKubeCredentials({ kubeconfig: kubeconfig({}, { token: 't' }), env: {} });

    expect(exec.needsClientNode).toBe('user "test" runs an exec credential plugin');
    expect(provider.needsClientNode).toBe('user "test" uses an auth-provider');
    expect(token.needsClientNode).toBeUndefined();
  });

  test('in-cluster service account', () => {
    const accountDirectory = path.join(directory, 'account');
    writeFile('account/token', 'account-token\n');
    writeFile('account/ca.crt', serverTls.caPem);

    const credentials = readKubeCredentials({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, serviceAccountDirectory: accountDirectory });

    expect(credentials.server).toBe('https://[fd00::1]:443');
    expect(credentials.tokenFile).toBe(path.join(accountDirectory, 'token'));
    expect(credentials.ca?.toString()).toBe(serverTls.caPem);
    expect(credentials.origin).toBe('the in-cluster service account');
  });
});

describe('light transport', () => {
  test('bearer token and JSON patch', async () => {
    const connection = await connect(kubeconfig({}, { token: 'secret-token' }));
    const body = [{ op: 'test', path: '/metadata/resourceVersion', value: '1' }];

    const result = await connection.client.request('patch deployment "atom"', { method: 'PATCH', path: '/apis/apps/v1/namespaces/prod/deployments/atom', body, contentType: 'application/json-patch+json' }, { deadline: inFuture() });

    expect(connection.clientNodeReason).toBeUndefined();
    expect(result).toEqual({ kind: 'Deployment', metadata: { name: 'atom' }, echo: body });
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe('PATCH');
    expect(received[0]?.authorization).toBe('Bearer secret-token');
    expect(received[0]?.contentType).toBe('application/json-patch+json');
  });

  test('query values encoded', async () => {
    const connection = await connect(kubeconfig({}, { token: 't' }));

    await connection.client.request('list pods', { path: '/api/v1/namespaces/prod/pods', query: { labelSelector: 'app=atom,tier in (web)', limit: undefined } }, { deadline: inFuture() });

    expect(received[0]?.url).toBe('/api/v1/namespaces/prod/pods?labelSelector=app%3Datom%2Ctier+in+%28web%29');
  });

  test('token file read per request', async () => {
    const tokenFile = writeFile('rotating-token', 'first\n');
    const connection = await connect(kubeconfig({}, { tokenFile }));

    await connection.client.request('read', { path: '/a' }, { deadline: inFuture() });
    fs.writeFileSync(tokenFile, 'second\n');
    await connection.client.request('read', { path: '/a' }, { deadline: inFuture() });

    expect(received.map((request) => request.authorization)).toEqual(['Bearer first', 'Bearer second']);
  });

  test('basic authentication', async () => {
    const connection = await connect(kubeconfig({}, { username: 'admin', password: 'pass word' }));

    await connection.client.request('read', { path: '/a' }, { deadline: inFuture() });

    expect(received[0]?.authorization).toBe(`Basic ${Buffer.from('admin:pass word').toString('base64')}`);
  });

  test('client certificate sent', async () => {
    const user = { 'client-certificate-data': Buffer.from(clientTls.certPem).toString('base64'), 'client-key-data': Buffer.from(clientTls.keyPem).toString('base64') };
    const connection = await connect(kubeconfig({}, user));

    await connection.client.request('read', { path: '/a' }, { deadline: inFuture() });

    expect(received[0]?.clientCertificate).toBe('kube-apiserver');
    expect(received[0]?.authorization).toBe('');
  });

  test('unknown CA rejected as TLS failure', async () => {
    const connection = await connect(kubeconfig({ 'certificate-authority-data': Buffer.from(clientTls.caPem).toString('base64') }, { token: 't' }));

    const failure = connection.client.request('read deployment "atom"', { path: '/a' }, { deadline: inFuture() });

    await expect(failure).rejects.toThrow(KubeApiError);
    await expect(failure).rejects.toMatchObject({ kind: 'tls', status: 0 });
    expect(received).toHaveLength(0);
  });

  test('insecure-skip-tls-verify accepts any certificate', async () => {
    const connection = await connect(kubeconfig({ 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true }, { token: 't' }));

    await connection.client.request('read', { path: '/a' }, { deadline: inFuture() });

    expect(received).toHaveLength(1);
  });

  test('tls-server-name checked', async () => {
    const good = await connect(kubeconfig({ 'tls-server-name': 'localhost' }, { token: 't' }));
    const bad = await connect(kubeconfig({ 'tls-server-name': 'api.example.invalid' }, { token: 't' }));

    await good.client.request('read', { path: '/a' }, { deadline: inFuture() });
    const failure = bad.client.request('read', { path: '/a' }, { deadline: inFuture() });

    expect(received).toHaveLength(1);
    await expect(failure).rejects.toMatchObject({ kind: 'tls' });
  });

  test('404 translated with status message', async () => {
    const connection = await connect(kubeconfig({}, { token: 't' }));

    const failure = connection.client.request('read deployment "gone" in namespace "prod"', { path: '/missing' }, { deadline: inFuture() });

    await expect(failure).rejects.toMatchObject({ status: 404, reason: 'NotFound', message: 'Failed to read deployment "gone" in namespace "prod": deployments.apps "gone" not found' });
    expect(received).toHaveLength(1);
  });

  test('503 retried then succeeds', async () => {
    const lines: string[] = [];
    const connection = await connectKube({ kubeconfig: kubeconfig({}, { token: 't' }), env: {} }, { backoff: fastBackoff, log: (line) => lines.push(line) });
    connections.push(connection);
    failuresBeforeSuccess = 2;

    const result = await connection.client.request('read deployment "atom"', { path: '/flaky' }, { deadline: inFuture() });

    expect(result).toMatchObject({ kind: 'Deployment' });
    expect(received).toHaveLength(3);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Retrying read deployment "atom" in \d+\.\d s \(attempt 1 failed: HTTP 503\)$/);
  });

  test('closed port reported as connection failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const connection = await connect(kubeconfig({ server: `https://127.0.0.1:${port}` }, { token: 't' }));

    const failure = connection.client.request('read deployment "atom"', { path: '/a' }, { deadline: Date.now() + 200 });

    await expect(failure).rejects.toMatchObject({ kind: 'connection', status: 0 });
    await expect(failure).rejects.toThrow(`cannot reach the Kubernetes API at https://127.0.0.1:${port}`);
  });

  test('watch delivers events then ends', async () => {
    const connection = await connect(kubeconfig({}, { token: 't' }));
    const events: [string, unknown][] = [];

    const ended = new Promise<unknown>((resolve) => {
      void connection.client.watch('/apis/apps/v1/namespaces/prod/deployments', { fieldSelector: 'metadata.name=atom', resourceVersion: undefined }, (type, object) => events.push([type, object]), resolve);
    });

    expect(await ended).toBeNull();
    expect(events.map(([type]) => type)).toEqual(['ADDED', 'MODIFIED']);
    expect(received[0]?.url).toBe('/apis/apps/v1/namespaces/prod/deployments?fieldSelector=metadata.name%3Datom&watch=true');
    expect(received[0]?.authorization).toBe('Bearer t');
  });

  test('watch refusal passed to done', async () => {
    const connection = await connect(kubeconfig({}, { token: 't' }));

    const ended = new Promise<unknown>((resolve) => {
      void connection.client.watch('/watch-denied', {}, () => undefined, resolve);
    });

    expect(await ended).toMatchObject({ code: 403 });
  });
});

describe('exec credential plugin', () => {
  function execKubeconfig(token: string, server = url, ca = caData): string {
    const plugin = writeFile(
      `exec-${token}.sh`,
      `#!/bin/sh\necho '${JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } })}'\n`,
      0o700,
    );
    return stringify({
      clusters: [{ name: 'exec', cluster: { server, 'certificate-authority-data': ca } }],
      users: [{ name: 'exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } }],
      contexts: [{ name: 'exec', context: { cluster: 'exec', user: 'exec' } }],
      'current-context': 'exec',
    });
  }

  test('token from the plugin used', async () => {
    const connection = await connect(execKubeconfig('plugin-token'));
    const events: string[] = [];

    await connection.client.request('read', { path: '/a', query: { limit: 1 } }, { deadline: inFuture() });
    const ended = new Promise<unknown>((resolve) => {
      void connection.client.watch('/apis/apps/v1/namespaces/prod/deployments', {}, (type) => events.push(type), resolve);
    });
    await ended;

    expect(connection.clientNodeReason).toBe('user "exec" runs an exec credential plugin');
    expect(received.map((request) => request.authorization)).toEqual(['Bearer plugin-token', 'Bearer plugin-token']);
    expect(received[0]?.url).toBe('/a?limit=1');
    expect(events).toEqual(['ADDED', 'MODIFIED']);
  });

  describe('rollback through the plugin', () => {
    let sim: KubeSimulator;

    beforeAll(async () => {
      sim = await startSimulator();
    });

    afterAll(async () => {
      await sim.stop();
    });

    test('rolls back and waits', async () => {
      sim.seed.namespace('exec');
      sim.seed.deployment({ name: 'atom', namespace: 'exec', replicas: 2, revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2' }, { image: 'atom:1.3' }] });
      await sim.settle();
      const connection = await connect(execKubeconfig(sim.token, sim.url, Buffer.from(sim.caPem).toString('base64')));

      const result = await rollbackDeployment(connection.client, { deployment: 'atom', namespace: 'exec', timeoutMs: 30_000, wait: true, podCheckIntervalMs: 200 }, memoryLog());

      expect(result.outcome).toBe('rolled-back');
      expect(result.toRevision).toBe(2);
      expect(appliedPatches(sim, 'exec')).toBe(1);
    });
  });
});

describe('rollback over the light transport', () => {
  let sim: KubeSimulator;

  beforeAll(async () => {
    sim = await startSimulator();
  });

  afterAll(async () => {
    await sim.stop();
  });

  test('flaky reads and dropped watch retried', async () => {
    sim.seed.namespace('light');
    sim.seed.deployment({ name: 'atom', namespace: 'light', replicas: 2, revisions: [{ image: 'atom:1.1' }, { image: 'atom:1.2' }, { image: 'atom:1.3' }] });
    await sim.settle();
    sim.faults.add({ method: 'GET', pathPattern: '/apis/apps/v1/namespaces/light/deployments/atom', status: 503, times: 2 });
    sim.faults.add({ method: 'GET', pathPattern: '/apis/apps/v1/namespaces/light/deployments', dropWatchAfterMs: 20, times: 1 });
    const lines: string[] = [];
    const connection = await connectKube({ kubeconfig: sim.kubeconfig, env: {} }, { backoff: fastBackoff, log: (line) => lines.push(line) });
    connections.push(connection);
    const log = memoryLog();

    const result = await rollbackDeployment(connection.client, { deployment: 'atom', namespace: 'light', timeoutMs: 30_000, wait: true, podCheckIntervalMs: 200 }, log);

    expect(connection.clientNodeReason).toBeUndefined();
    expect(result.outcome).toBe('rolled-back');
    expect(result.message).toBe('rolled back deployment "atom" from revision 3 to revision 2 (now revision 4)');
    expect(lines.filter((line) => line.startsWith('Retrying read deployment "atom"'))).toHaveLength(2);
    expect(log.lines).toContain('deployment "atom" successfully rolled out');
    expect(appliedPatches(sim, 'light')).toBe(1);
  });
});
