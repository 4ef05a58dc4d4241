import type { ResourceType } from './resources.ts';
import { parseTime } from './time.ts';
import type { KubeObject } from './types.ts';

/** Returns whether the Accept header requests the server-side `Table` format that `kubectl get` prints. */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept);
}

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
  cell: (object: KubeObject) => string | number;
}

const nameColumn: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name of the object', priority: 0, cell: (object) => object.metadata.name ?? '' };
const ageColumn: Column = { name: 'Age', type: 'string', description: 'Time since creation', priority: 0, cell: (object) => age(object.metadata.creationTimestamp) };

function images(object: KubeObject): string {
  return (object.spec?.template?.spec?.containers ?? []).map((container: { image?: string }) => container.image).join(',');
}

/** The columns `kubectl get` shows per kind, as the real server's printers define them (Kubernetes 1.32). */
const columnsByKind: Record<string, Column[]> = {
  Deployment: [
    nameColumn,
    { name: 'Ready', type: 'string', description: 'Number of ready replicas', priority: 0, cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', description: 'Number of updated replicas', priority: 0, cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', description: 'Number of available replicas', priority: 0, cell: (o) => o.status?.availableReplicas ?? 0 },
    ageColumn,
    { name: 'Containers', type: 'string', description: 'Container names', priority: 1, cell: (o) => (o.spec?.template?.spec?.containers ?? []).map((c: { name: string }) => c.name).join(',') },
    { name: 'Images', type: 'string', description: 'Container images', priority: 1, cell: images },
  ],
  ReplicaSet: [
    nameColumn,
    { name: 'Desired', type: 'integer', description: 'Number of desired replicas', priority: 0, cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', description: 'Number of current replicas', priority: 0, cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', description: 'Number of ready replicas', priority: 0, cell: (o) => o.status?.readyReplicas ?? 0 },
    ageColumn,
    { name: 'Images', type: 'string', description: 'Container images', priority: 1, cell: images },
  ],
  Pod: [
    nameColumn,
    { name: 'Ready', type: 'string', description: 'Ready containers', priority: 0, cell: podReady },
    { name: 'Status', type: 'string', description: 'Pod status', priority: 0, cell: podStatus },
    { name: 'Restarts', type: 'string', description: 'Container restarts', priority: 0, cell: (o) => String((o.status?.containerStatuses ?? []).reduce((sum: number, s: { restartCount: number }) => sum + s.restartCount, 0)) },
    ageColumn,
  ],
  Namespace: [nameColumn, { name: 'Status', type: 'string', description: 'Namespace phase', priority: 0, cell: (o) => o.status?.phase ?? '' }, ageColumn],
  Service: [
    nameColumn,
    { name: 'Type', type: 'string', description: 'Service type', priority: 0, cell: (o) => o.spec?.type ?? '' },
    { name: 'Cluster-IP', type: 'string', description: 'Cluster IP', priority: 0, cell: (o) => o.spec?.clusterIP ?? '' },
    { name: 'External-IP', type: 'string', description: 'External IP', priority: 0, cell: () => '<none>' },
    { name: 'Port(s)', type: 'string', description: 'Ports', priority: 0, cell: (o) => (o.spec?.ports ?? []).map((p: { port: number; protocol?: string }) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>' },
    ageColumn,
  ],
  Event: [
    { name: 'Last Seen', type: 'string', description: 'Time since the last occurrence', priority: 0, cell: (o) => age(o.lastTimestamp as string | undefined) },
    { name: 'Type', type: 'string', description: 'Event type', priority: 0, cell: (o) => String(o.type ?? '') },
    { name: 'Reason', type: 'string', description: 'Event reason', priority: 0, cell: (o) => String(o.reason ?? '') },
    { name: 'Object', type: 'string', description: 'Involved object', priority: 0, cell: (o) => { const i = o.involvedObject as { kind?: string; name?: string } | undefined; return `${(i?.kind ?? '').toLowerCase()}/${i?.name ?? ''}`; } },
    { name: 'Message', type: 'string', description: 'Event message', priority: 0, cell: (o) => String(o.message ?? '') },
  ],
};

function podReady(object: KubeObject): string {
  const statuses: { ready: boolean }[] = object.status?.containerStatuses ?? [];
  const total = object.spec?.containers?.length ?? statuses.length;
  return `${statuses.filter((status) => status.ready).length}/${total}`;
}

function podStatus(object: KubeObject): string {
  for (const status of object.status?.containerStatuses ?? []) {
    const reason = status.state?.waiting?.reason ?? status.state?.terminated?.reason;
    if (reason) return reason;
  }
  return object.status?.phase ?? 'Pending';
}

/** Formats the time since a timestamp as kubectl does: `45s`, `3m2s`, `5h`, `2d`. */
function age(timestamp: string | undefined): string {
  const since = parseTime(timestamp);
  if (since === undefined) return '<unknown>';
  const seconds = Math.max(0, Math.floor((Date.now() - since) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** Converts objects to a meta.k8s.io/v1 Table with the kind's columns; other kinds get Name and Age. */
export function toTable(type: ResourceType, objects: KubeObject[], metadata: Record<string, unknown>): Record<string, unknown> {
  const columns = columnsByKind[type.kind] ?? [nameColumn, ageColumn];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columns.map(({ name, type: columnType, format, description, priority }) => ({ name, type: columnType, format: format ?? '', description, priority })),
    rows: objects.map((object) => ({
      cells: columns.map((column) => column.cell(object)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
    })),
  };
}
