import * as fs from 'node:fs';

import { HttpsTransport, type Authenticate } from './https-transport.ts';
import { readKubeCredentials, type KubeCredentialSource, type KubeCredentials } from './kubeconfig.ts';
import type { KubeRequester } from './requester.ts';
import { RestKubeClient, type RestKubeClientOptions } from './rest-client.ts';

/** A KubeRequester for one cluster and a description of where its credentials came from. */
export interface KubeConnection {
  client: KubeRequester;
  server: string;
  context: string;
  origin: string;
  /** The reason client-node serves the requests, or undefined when the light transport does. */
  clientNodeReason: string | undefined;
  /** Closes idle connections, so that the process can exit. */
  close(): void;
}

/**
 * Connects to the cluster of the kubeconfig (see readKubeCredentials for the
 * order of sources). Tokens, token files, client certificates and basic
 * authentication go over the light node:https transport. Users with an
 * `exec` or `auth-provider` plugin, a proxy-url or impersonation load
 * client-node instead, whose authentication runs those plugins.
 * No request is sent until the first call.
 */
export async function connectKube(source: KubeCredentialSource, options: RestKubeClientOptions = {}): Promise<KubeConnection> {
  const credentials = readKubeCredentials(source);
  const description = { server: credentials.server, context: credentials.context, origin: credentials.origin };

  if (credentials.needsClientNode) {
    const { loadKubeConfig } = await import('./config.ts');
    const { createKubeClient } = await import('./client.ts');
    const client = createKubeClient(loadKubeConfig(source), options);
    return { client, ...description, clientNodeReason: credentials.needsClientNode, close: () => undefined };
  }

  const tls = {
    rejectUnauthorized: !credentials.insecureSkipTlsVerify,
    ...(credentials.ca ? { ca: credentials.ca } : {}),
    ...(credentials.cert ? { cert: credentials.cert } : {}),
    ...(credentials.key ? { key: credentials.key } : {}),
    ...(credentials.tlsServerName ? { servername: credentials.tlsServerName } : {}),
  };
  const transport = new HttpsTransport(credentials.server, tls, authenticator(credentials));
  const client = new RestKubeClient(transport, description, options);
  return { client, ...description, clientNodeReason: undefined, close: () => client.close() };
}

/** Builds the headers of each request: a bearer token (re-read from a token file each time), else basic authentication. */
function authenticator(credentials: KubeCredentials): Authenticate {
  const { token, tokenFile, username, password } = credentials;
  if (token) {
    const headers = { authorization: `Bearer ${token}` };
    return () => Promise.resolve(headers);
  }
  if (tokenFile) {
    return async () => ({ authorization: `Bearer ${(await fs.promises.readFile(tokenFile, 'utf8')).trim()}` });
  }
  if (username !== undefined) {
    const headers = { authorization: `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}` };
    return () => Promise.resolve(headers);
  }
  return () => Promise.resolve({});
}
