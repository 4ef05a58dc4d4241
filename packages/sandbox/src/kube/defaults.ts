import type { KubeObject } from './types.ts';

/**
 * Fills in the defaults that the real API server adds on create and
 * update, so objects read back look as they do on a cluster and templates
 * compare equal after a round trip through kubectl.
 */
export function applyDefaults(object: KubeObject): void {
  switch (object.kind) {
    case 'Deployment':
      defaultDeployment(object);
      break;
    case 'ReplicaSet':
      object.spec ??= {};
      object.spec.replicas ??= 1;
      defaultPodTemplate(object.spec.template);
      break;
    case 'Pod':
      defaultPodSpec(object.spec);
      break;
    case 'Service':
      defaultService(object);
      break;
    case 'Namespace':
      object.spec ??= { finalizers: ['kubernetes'] };
      object.status ??= { phase: 'Active' };
      object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name! };
      break;
  }
}

function defaultDeployment(object: KubeObject): void {
  const spec = (object.spec ??= {});
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= {};
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  defaultPodTemplate(spec.template);
}

function defaultPodTemplate(template: KubeObject['spec']): void {
  if (!template || typeof template !== 'object') return;
  template.metadata ??= {};
  // The real server serializes the unset creationTimestamp of a template as null; kubectl's rollback patches send it back.
  template.metadata.creationTimestamp = null;
  defaultPodSpec(template.spec);
}

function defaultPodSpec(spec: KubeObject['spec']): void {
  if (!spec || typeof spec !== 'object') return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) defaultContainer(container);
}

function defaultContainer(container: Record<string, any>): void {
  if (!container || typeof container !== 'object') return;
  container.terminationMessagePath ??= '/dev/termination-log';
  container.terminationMessagePolicy ??= 'File';
  container.resources ??= {};
  container.imagePullPolicy ??= imagePullPolicy(String(container.image ?? ''));
  for (const port of container.ports ?? []) port.protocol ??= 'TCP';
}

/** Returns the pull policy the API server defaults to: Always for `:latest` or untagged images. */
function imagePullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.lastIndexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

let nextClusterIp = 10;

function defaultService(object: KubeObject): void {
  const spec = (object.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.clusterIP === undefined) {
    nextClusterIp += 1;
    spec.clusterIP = `10.96.${Math.floor(nextClusterIp / 250)}.${(nextClusterIp % 250) + 1}`;
  }
  spec.clusterIPs ??= [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.internalTrafficPolicy ??= 'Cluster';
  for (const port of spec.ports ?? []) {
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port;
  }
  object.status ??= { loadBalancer: {} };
}
