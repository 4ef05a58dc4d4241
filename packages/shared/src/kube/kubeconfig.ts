import * as fs from 'node:fs';
import { isIPv6 } from 'node:net';
import * as path from 'node:path';

// js-yaml, as client-node 2 uses, so that both paths read a kubeconfig alike.
import { load } from 'js-yaml';

import { ConfigurationError, errorMessage } from '../errors.ts';
import { firstLine, missingKubeconfigFileError, noClusterError, noCredentialsError, unknownContextError } from './config-errors.ts';
import type { KubeConfigSource } from './config.ts';

/** The folder of the in-cluster service account files in a pod. */
export const serviceAccountDirectory = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A KubeConfigSource, plus the service account folder that tests replace. */
export interface KubeCredentialSource extends KubeConfigSource {
  /** Folder of the in-cluster `token` and `ca.crt`. Default /var/run/secrets/kubernetes.io/serviceaccount. */
  serviceAccountDirectory?: string;
}

/** The connection settings of the selected context, read without client-node. */
export interface KubeCredentials {
  origin: string;
  context: string;
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  token?: string;
  /** File to read the bearer token from on each request, as for a rotated service account token. */
  tokenFile?: string;
  username?: string;
  password?: string;
  /**
   * The reason the light transport cannot serve this user (an `exec` or
   * `auth-provider` plugin, a proxy, impersonation), or undefined when it can.
   */
  needsClientNode?: string;
}

type YamlMap = Record<string, unknown>;

/** One named entry of a kubeconfig list, with the folder its relative paths resolve against. */
interface Entry {
  name: string;
  value: YamlMap;
  directory: string;
}

/** The merged content of one or more kubeconfig files. */
interface MergedConfig {
  currentContext: string;
  clusters: Map<string, Entry>;
  users: Map<string, Entry>;
  contexts: Map<string, Entry>;
}

/**
 * Reads cluster credentials in the order of loadKubeConfig (the kubeconfig
 * content given as input, else the files in `KUBECONFIG` merged as kubectl
 * merges them, else the in-cluster service account) and selects
 * `source.context` when given. Throws the ConfigurationError messages of
 * loadKubeConfig.
 */
export function readKubeCredentials(source: KubeCredentialSource): KubeCredentials {
  const env = source.env ?? process.env;
  const inputName = source.inputName ?? 'kubeconfig';

  if (source.kubeconfig) {
    const origin = `input "${inputName}"`;
    const merged = parseDocuments(origin, [{ text: source.kubeconfig, directory: process.cwd() }]);
    return selectCredentials(merged, origin, source.context);
  }

  if (env['KUBECONFIG']) {
    const files = env['KUBECONFIG'].split(':').filter((file) => file !== '');
    const origin = `KUBECONFIG (${files.join(', ')})`;
    for (const file of files) {
      if (!fs.existsSync(file)) throw missingKubeconfigFileError(file);
    }
    const merged = parseDocuments(origin, () => files.map((file) => ({ text: fs.readFileSync(file, 'utf8'), directory: path.dirname(path.resolve(file)) })));
    return selectCredentials(merged, origin, source.context);
  }

  if (env['KUBERNETES_SERVICE_HOST']) return inClusterCredentials(env, source.serviceAccountDirectory ?? serviceAccountDirectory, source.context);

  throw noCredentialsError(inputName);
}

/** Parses and merges the documents. For each name and for current-context, the first file that sets it wins, as in kubectl. */
function parseDocuments(origin: string, documents: { text: string; directory: string }[] | (() => { text: string; directory: string }[])): MergedConfig {
  const merged: MergedConfig = { currentContext: '', clusters: new Map(), users: new Map(), contexts: new Map() };
  try {
    for (const document of typeof documents === 'function' ? documents() : documents) {
      const content: unknown = load(document.text);
      if (content === null || content === undefined) continue;
      if (typeof content !== 'object' || Array.isArray(content)) throw new Error('the content is not a YAML mapping');

      const map = content as YamlMap;
      if (!merged.currentContext && typeof map['current-context'] === 'string') merged.currentContext = map['current-context'];
      addEntries(merged.clusters, map['clusters'], 'clusters', 'cluster', document.directory);
      addEntries(merged.users, map['users'], 'users', 'user', document.directory);
      addEntries(merged.contexts, map['contexts'], 'contexts', 'context', document.directory);
    }
  } catch (error) {
    throw new ConfigurationError(`The kubeconfig from ${origin} is not valid: ${firstLine(errorMessage(error))}.`);
  }
  return merged;
}

function addEntries(target: Map<string, Entry>, list: unknown, listName: string, field: string, directory: string): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw new Error(`${listName} is not a list`);

  list.forEach((item: unknown, index) => {
    const entry = (item ?? {}) as YamlMap;
    const name = entry['name'];
    if (typeof name !== 'string' || name === '') throw new Error(`${listName}[${index}].name is missing`);
    const value = entry[field];
    if (field !== 'user' && (value === null || typeof value !== 'object')) throw new Error(`${listName}[${index}].${field} is missing`);
    if (field === 'cluster' && !(value as YamlMap)['server']) throw new Error(`${listName}[${index}].cluster.server is missing`);
    if (field === 'context' && !(value as YamlMap)['cluster']) throw new Error(`${listName}[${index}].context.cluster is missing`);
    if (!target.has(name)) target.set(name, { name, value: (value ?? {}) as YamlMap, directory });
  });
}

function selectCredentials(merged: MergedConfig, origin: string, requested: string | undefined): KubeCredentials {
  if (requested && !merged.contexts.has(requested)) throw unknownContextError(requested, [...merged.contexts.keys()], origin);

  const contextName = requested || merged.currentContext;
  const context = merged.contexts.get(contextName);
  const cluster = context ? merged.clusters.get(String(context.value['cluster'])) : undefined;
  if (!context || !cluster) {
    throw noClusterError(origin, contextName);
  }

  const user = merged.users.get(String(context.value['user'] ?? ''));
  const credentials: KubeCredentials = { origin, context: contextName, server: String(cluster.value['server']), insecureSkipTlsVerify: cluster.value['insecure-skip-tls-verify'] === true };
  readClusterFields(credentials, cluster, origin);
  if (user) readUserFields(credentials, user, origin);
  return credentials;
}

function readClusterFields(credentials: KubeCredentials, cluster: Entry, origin: string): void {
  const value = cluster.value;
  const ca = readPem(value, 'certificate-authority', cluster, origin);
  if (ca) credentials.ca = ca;
  if (typeof value['tls-server-name'] === 'string' && value['tls-server-name']) credentials.tlsServerName = value['tls-server-name'];
  if (value['proxy-url']) credentials.needsClientNode = `cluster "${cluster.name}" sets proxy-url`;
}

function readUserFields(credentials: KubeCredentials, user: Entry, origin: string): void {
  const value = user.value;
  if (value['exec']) credentials.needsClientNode = `user "${user.name}" runs an exec credential plugin`;
  else if (value['auth-provider']) credentials.needsClientNode = `user "${user.name}" uses an auth-provider`;
  else if (value['as'] || value['as-groups']) credentials.needsClientNode = `user "${user.name}" impersonates another user`;

  if (typeof value['token'] === 'string' && value['token']) credentials.token = value['token'];
  else if (typeof value['tokenFile'] === 'string' && value['tokenFile']) credentials.tokenFile = path.resolve(user.directory, value['tokenFile']);
  else if (typeof value['token-file'] === 'string' && value['token-file']) credentials.tokenFile = path.resolve(user.directory, value['token-file']);

  const cert = readPem(value, 'client-certificate', user, origin);
  const key = readPem(value, 'client-key', user, origin);
  if (cert) credentials.cert = cert;
  if (key) credentials.key = key;

  if (typeof value['username'] === 'string' && value['username']) {
    credentials.username = value['username'];
    credentials.password = typeof value['password'] === 'string' ? value['password'] : '';
  }
}

/** Reads `<field>-data` (base64) or the file `<field>` (relative to the kubeconfig's folder). */
function readPem(value: YamlMap, field: string, entry: Entry, origin: string): Buffer | undefined {
  const data = value[`${field}-data`];
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');

  const file = value[field];
  if (typeof file !== 'string' || !file) return undefined;
  const resolved = path.resolve(entry.directory, file);
  try {
    return fs.readFileSync(resolved);
  } catch (error) {
    throw new ConfigurationError(`The kubeconfig from ${origin} is not valid: ${field} of "${entry.name}" names ${resolved}, which cannot be read (${errorMessage(error)}).`);
  }
}

/** Builds the credentials of the pod's service account, as client-node's loadFromCluster does. */
function inClusterCredentials(env: NodeJS.ProcessEnv, directory: string, requested: string | undefined): KubeCredentials {
  const origin = 'the in-cluster service account';
  const context = 'inClusterContext';
  if (requested && requested !== context) throw unknownContextError(requested, [context], origin);

  const host = env['KUBERNETES_SERVICE_HOST'] ?? '';
  const port = env['KUBERNETES_SERVICE_PORT'] ?? '';
  const scheme = ['80', '8080', '8001'].includes(port) ? 'http' : 'https';
  const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;

  const credentials: KubeCredentials = { origin, context, server, insecureSkipTlsVerify: false, tokenFile: path.join(directory, 'token') };
  const caFile = path.join(directory, 'ca.crt');
  if (fs.existsSync(caFile)) credentials.ca = fs.readFileSync(caFile);
  return credentials;
}
