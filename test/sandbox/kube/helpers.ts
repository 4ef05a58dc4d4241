import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Agent, request } from 'undici';

import { startKubeSimulator, type KubeSimulator, type KubeSimulatorOptions } from '@atom-actions/sandbox/kube/simulator';

/** The kubectl the fidelity tests run (1.32, through the Google Cloud SDK dispatcher). */
export const kubectlPath = '/usr/bin/kubectl';

/** Simulated time runs this many times faster in these tests. */
export const fastTimeScale = 50;

/** Starts a simulator with a fast clock unless the options set another time scale. */
export function startSim(options: KubeSimulatorOptions = {}): Promise<KubeSimulator> {
  return startKubeSimulator({ timeScale: fastTimeScale, ...options });
}

/** The outcome of one kubectl run. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

const cacheDirectory = mkdtempSync(join(tmpdir(), 'atom-kubectl-cache-'));

/** Runs the real kubectl against a simulator, with a private discovery cache, and never through a shell. */
export function kubectl(sim: KubeSimulator, args: string[], input?: string): Promise<KubectlResult> {
  if (!existsSync(kubectlPath)) {
    throw new Error(`kubectl is missing at ${kubectlPath}: the fidelity tests need kubectl 1.32 (the Debian package kubectl of the Google Cloud SDK)`);
  }
  return new Promise((resolve) => {
    const child = execFile(
      kubectlPath,
      [...args, '--kubeconfig', sim.kubeconfigPath, '--cache-dir', cacheDirectory],
      { timeout: 60_000, env: { ...process.env, HOME: cacheDirectory } },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** The response to a raw API request. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** Sends one HTTPS request to the simulator with TLS verification against its CA and the default bearer token. */
export async function api(
  sim: Pick<KubeSimulator, 'url' | 'token' | 'caPem'>,
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; token?: string | null; accept?: string } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? sim.token}`;
  if (options.accept) headers.accept = options.accept;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }

  const dispatcher = new Agent({ connect: { ca: sim.caPem } });
  try {
    const response = await request(`${sim.url}${path}`, { method: method as 'GET', headers, body, dispatcher });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text, json };
  } finally {
    await dispatcher.close();
  }
}

/** Builds a Deployment manifest with one container named `app`. */
export function deploymentManifest(
  name: string,
  options: { replicas?: number; image?: string; podAnnotations?: Record<string, string>; spec?: Record<string, unknown> } = {},
): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, ...(options.podAnnotations ? { annotations: options.podAnnotations } : {}) },
        spec: { containers: [{ name: 'app', image: options.image ?? 'nginx:1.27' }] },
      },
      ...options.spec,
    },
  };
}

/** Polls a condition every 10 ms until it holds, failing after the given real milliseconds. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
