import { stringify } from 'yaml';

/** The contents of a kubeconfig for the simulator. */
export interface KubeconfigOptions {
  url: string;
  caPem: string;
  token: string;
  /** The namespace of the context; `default` when unset. */
  namespace?: string;
  /** The name used for the cluster, user and context; `atom-sim` when unset. */
  name?: string;
}

/** Builds kubeconfig YAML with one cluster (CA data embedded), one bearer-token user and one current context. */
export function buildKubeconfig(options: KubeconfigOptions): string {
  const name = options.name ?? 'atom-sim';
  const context: Record<string, string> = { cluster: name, user: name };
  if (options.namespace) context.namespace = options.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: options.url, 'certificate-authority-data': Buffer.from(options.caPem).toString('base64') } }],
    users: [{ name, user: { token: options.token } }],
    contexts: [{ name, context }],
    'current-context': name,
    preferences: {},
  });
}
