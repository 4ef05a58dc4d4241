import { randomBytes } from 'node:crypto';

import type { Registry } from '../registry.ts';
import { kinds } from '../resources.ts';
import { formatTime } from '../time.ts';
import type { KubeObject } from '../types.ts';

/**
 * Records core/v1 Events about an object, as the controllers' event
 * recorders do, for `kubectl describe` and `kubectl get events`. A failed
 * write (for example, the namespace is being deleted) is logged and dropped.
 */
export function recordEvent(registry: Registry, about: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
  const now = formatTime();
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${about.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: about.metadata.namespace },
    involvedObject: {
      kind: about.kind,
      namespace: about.metadata.namespace,
      name: about.metadata.name,
      uid: about.metadata.uid,
      apiVersion: about.apiVersion,
      resourceVersion: about.metadata.resourceVersion,
    },
    reason,
    message,
    source: { component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: '',
  };
  try {
    registry.create(kinds.event, about.metadata.namespace, event);
  } catch (error) {
    console.warn(`kube simulator: could not record event ${reason} for ${about.metadata.namespace}/${about.metadata.name}: ${(error as Error).message}`);
  }
}
