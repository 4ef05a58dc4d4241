import * as core from '@actions/core';

import { loadKubeConfig } from '@atom-actions/shared/kube/config';
import { registerSecret } from '@atom-actions/shared/secrets';

import type { RolloutContext } from './context.ts';
import { connectCluster } from './kube/cluster.ts';
import { createPusher } from './report/pushgateway.ts';
import type { CanarySettings } from './settings.ts';

/** Name of the saved state that records for the post step whether traffic may still be on the canary. */
export const restoreStateName = 'restore';

/**
 * Masks every secret of the settings, connects to the cluster and builds
 * the context a strategy runs with. `signal` aborts on cancellation.
 */
export function openSession(settings: CanarySettings, signal: AbortSignal): RolloutContext {
  registerSecret(settings.kubeconfig);
  for (const value of Object.values(settings.prometheus?.headers ?? {})) registerSecret(value);
  const token = settings.prometheus?.headers['authorization']?.replace(/^Bearer /, '');
  registerSecret(token);

  const loaded = loadKubeConfig({ kubeconfig: settings.kubeconfig, context: settings.context });
  const { cluster, client } = connectCluster(loaded);
  core.info(`Cluster: ${loaded.server} (context "${loaded.context}", credentials from ${loaded.origin}).`);

  const warn = (line: string): void => core.warning(line);
  const pushTarget = settings.pushgateway ? { ...settings.pushgateway, namespace: settings.namespace, deployment: settings.deployment } : undefined;
  return {
    settings,
    cluster,
    client,
    log: (line) => core.info(line),
    warn,
    signal,
    measurements: [],
    pushgateway: pushTarget ? createPusher(pushTarget, warn) : undefined,
    markTrafficShifted: () => core.saveState(restoreStateName, 'true'),
  };
}
