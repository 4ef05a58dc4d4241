import type { Deployment, ReplicaSet } from './objects.ts';

/** Prefix of the annotations a rollback writes on the Deployment. */
export const recordPrefix = 'atom-actions.io/';

/** The annotations that record a rollback on the Deployment. */
export const recordAnnotations = {
  rolledBackFrom: `${recordPrefix}rolled-back-from`,
  rolledBackTo: `${recordPrefix}rolled-back-to`,
  rolledBackToReplicaSet: `${recordPrefix}rolled-back-to-replicaset`,
  reason: `${recordPrefix}rollback-reason`,
  runUrl: `${recordPrefix}rollback-run-url`,
  rolledBackAt: `${recordPrefix}rolled-back-at`,
} as const;

/** The record of one earlier rollback, read from the Deployment's annotations. */
export interface RollbackRecord {
  from: string;
  to: string;
  replicaSet: string;
  runUrl: string;
  at: string;
}

/** Builds the annotations that record this rollback. Empty values are left out. */
export function buildRecord(fields: { from: number | undefined; to: number; replicaSet: string; reason?: string | undefined; runUrl?: string | undefined; at: Date }): Record<string, string> {
  const record: Record<string, string> = {
    [recordAnnotations.rolledBackFrom]: String(fields.from ?? ''),
    [recordAnnotations.rolledBackTo]: String(fields.to),
    [recordAnnotations.rolledBackToReplicaSet]: fields.replicaSet,
    [recordAnnotations.rolledBackAt]: fields.at.toISOString(),
  };
  if (fields.reason) record[recordAnnotations.reason] = fields.reason;
  if (fields.runUrl) record[recordAnnotations.runUrl] = fields.runUrl;
  return record;
}

/** Reads the record of the last rollback from the Deployment's annotations, if any. */
export function readRecord(deployment: Deployment): RollbackRecord | undefined {
  const annotations = deployment.metadata.annotations ?? {};
  const replicaSet = annotations[recordAnnotations.rolledBackToReplicaSet];
  if (!replicaSet) return undefined;
  return {
    from: annotations[recordAnnotations.rolledBackFrom] ?? '',
    to: annotations[recordAnnotations.rolledBackTo] ?? '',
    replicaSet,
    runUrl: annotations[recordAnnotations.runUrl] ?? '',
    at: annotations[recordAnnotations.rolledBackAt] ?? '',
  };
}

/**
 * Returns the record when the Deployment still runs the template an earlier
 * rollback restored: the ReplicaSet matching its template is the one the
 * record names. Rolling back again would then undo that rollback and bring
 * the bad release back, which is what kubectl does when two rollbacks race.
 */
export function activeRecord(deployment: Deployment, current: ReplicaSet | undefined): RollbackRecord | undefined {
  const record = readRecord(deployment);
  if (!record || !current) return undefined;
  return current.metadata.name === record.replicaSet ? record : undefined;
}
