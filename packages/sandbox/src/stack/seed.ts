import type { KubeSimulator } from '../kube/simulator.ts';

/** Pod log lines of a healthy atom pod. */
const healthyLog = 'INFO starting atom v1\nINFO listening on :8080\nINFO health checks ready';

/**
 * Seeds the namespaces the demo deploys to: in each, the Deployment `atom`
 * at v1 (three replicas, `version: v1` pod label for the canary queries)
 * and the Service `atom` in front of it.
 */
export function seedEnvironment(sim: KubeSimulator): void {
  for (const namespace of ['staging', 'production']) {
    sim.seed.namespace(namespace);
    const labels = { app: 'atom' };
    sim.seed.object({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'atom', namespace, labels, annotations: { 'kubernetes.io/change-cause': 'deploy atom v1' } },
      spec: {
        replicas: 3,
        progressDeadlineSeconds: 120,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: { ...labels, version: 'v1' }, annotations: { 'sim.atom-actions.io/log': healthyLog } },
          spec: { containers: [{ name: 'app', image: 'registry.example/atom:v1' }] },
        },
      },
    });
    sim.seed.object({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'atom', namespace },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
  }
}
