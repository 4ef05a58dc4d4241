import * as fs from 'node:fs';

import { KubeConfig } from '@kubernetes/client-node';

import { ConfigurationError, errorMessage } from '../errors.ts';
import { firstLine, missingKubeconfigFileError, noClusterError, noCredentialsError, unknownContextError } from './config-errors.ts';

/** The source of the cluster credentials, as the action's inputs give it. */
export interface KubeConfigSource {
  /** Content of a kubeconfig file (the `kubeconfig` input); empty to fall back. */
  kubeconfig?: string;
  /** Context to use instead of the file's `current-context`; empty for the default. */
  context?: string;
  /** Name of the input that carried the kubeconfig, for error messages. Default `kubeconfig`. */
  inputName?: string;
  /** Environment to read `KUBECONFIG` and `KUBERNETES_SERVICE_HOST` from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** A loaded kubeconfig and a description of where it came from, for the log. */
export interface LoadedKubeConfig {
  config: KubeConfig;
  origin: string;
  context: string;
  server: string;
}

/**
 * Loads cluster credentials in this order: the kubeconfig content given as
 * input, else the files listed in `KUBECONFIG` (merged as kubectl merges
 * them), else the in-cluster service account. Selects `source.context` when
 * given. Throws a ConfigurationError that names the source when the
 * kubeconfig does not parse, names no cluster, or lacks the context.
 */
export function loadKubeConfig(source: KubeConfigSource): LoadedKubeConfig {
  const env = source.env ?? process.env;
  const inputName = source.inputName ?? 'kubeconfig';
  const config = new KubeConfig();
  let origin: string;

  if (source.kubeconfig) {
    origin = `input "${inputName}"`;
    parseKubeConfig(origin, () => config.loadFromString(source.kubeconfig ?? ''));
  } else if (env['KUBECONFIG']) {
    const files = env['KUBECONFIG'].split(':').filter((file) => file !== '');
    origin = `KUBECONFIG (${files.join(', ')})`;
    for (const file of files) {
      if (!fs.existsSync(file)) throw missingKubeconfigFileError(file);
    }
    parseKubeConfig(origin, () => loadFiles(config, files));
  } else if (env['KUBERNETES_SERVICE_HOST']) {
    origin = 'the in-cluster service account';
    parseKubeConfig(origin, () => config.loadFromCluster());
  } else {
    throw noCredentialsError(inputName);
  }

  if (source.context) selectContext(config, source.context, origin);
  return describeConfig(config, origin);
}

function loadFiles(config: KubeConfig, files: string[]): void {
  const [first, ...rest] = files;
  config.loadFromFile(first ?? '');

  // The first file that sets current-context wins, as in kubectl.
  for (const file of rest) {
    const next = new KubeConfig();
    next.loadFromFile(file);
    config.mergeConfig(next, true);
  }
}

function parseKubeConfig(origin: string, load: () => void): void {
  try {
    load();
  } catch (error) {
    throw new ConfigurationError(`The kubeconfig from ${origin} is not valid: ${firstLine(errorMessage(error))}.`);
  }
}

function selectContext(config: KubeConfig, context: string, origin: string): void {
  const names = config.getContexts().map((entry) => entry.name);
  if (names.includes(context)) {
    config.setCurrentContext(context);
    return;
  }

  throw unknownContextError(context, names, origin);
}

function describeConfig(config: KubeConfig, origin: string): LoadedKubeConfig {
  const context = config.getCurrentContext();
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    throw noClusterError(origin, context ?? '');
  }
  if (!cluster.server) throw new ConfigurationError(`The kubeconfig from ${origin} is not valid: cluster "${cluster.name}" has no server URL.`);
  return { config, origin, context: context ?? '', server: cluster.server };
}
