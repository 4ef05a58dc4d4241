import type { KubeRequester } from '../kube/requester.ts';
import { equalIgnoreHash } from './template.ts';
import { revisionOf, type Deployment, type LabelSelector, type ObjectList, type ReplicaSet } from './objects.ts';

/** A rollback that cannot go ahead, with the message kubectl gives in the same case where it has one. */
export class RollbackError extends Error {
  override readonly name = 'RollbackError';

  /** The Deployment as it was read before the failure, so that the result can still report its revision. */
  deployment: Deployment | undefined;
}

/** The ReplicaSets of a Deployment, in kubectl's order, and the one that matches its template. */
export interface RevisionHistory {
  /** Old ReplicaSets sorted by creation time then name, followed by the new one. */
  replicaSets: ReplicaSet[];
  /** The oldest ReplicaSet whose template equals the Deployment's, if any. */
  current: ReplicaSet | undefined;
}

/** Formats a label selector as the `labelSelector` query parameter. */
export function formatSelector(selector: LabelSelector | undefined): string {
  const requirements: string[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) requirements.push(`${key}=${value}`);

  for (const expression of selector?.matchExpressions ?? []) {
    const values = [...(expression.values ?? [])].sort().join(',');
    if (expression.operator === 'In') requirements.push(`${expression.key} in (${values})`);
    else if (expression.operator === 'NotIn') requirements.push(`${expression.key} notin (${values})`);
    else if (expression.operator === 'Exists') requirements.push(expression.key);
    else if (expression.operator === 'DoesNotExist') requirements.push(`!${expression.key}`);
    else throw new RollbackError(`The Deployment's selector has an unknown operator "${expression.operator}" for key "${expression.key}".`);
  }

  return requirements.sort().join(',');
}

/** Returns whether the ReplicaSet's controller owner reference points at the Deployment. */
export function isControlledBy(replicaSet: ReplicaSet, deployment: Deployment): boolean {
  const owner = (replicaSet.metadata.ownerReferences ?? []).find((reference) => reference.controller === true);
  return owner !== undefined && owner.uid === deployment.metadata.uid;
}

function byCreation(first: ReplicaSet, second: ReplicaSet): number {
  const a = Date.parse(first.metadata.creationTimestamp ?? '') || 0;
  const b = Date.parse(second.metadata.creationTimestamp ?? '') || 0;
  if (a !== b) return a - b;
  const nameA = first.metadata.name ?? '';
  const nameB = second.metadata.name ?? '';
  if (nameA === nameB) return 0;
  return nameA < nameB ? -1 : 1;
}

/**
 * Orders the Deployment's ReplicaSets as kubectl's `GetAllReplicaSets` does:
 * sorted by creation time (name breaks ties), the one matching the template
 * removed and appended last. The order decides which of two ReplicaSets with
 * the same revision a rollback picks.
 */
export function orderHistory(deployment: Deployment, owned: readonly ReplicaSet[]): RevisionHistory {
  const sorted = [...owned].sort(byCreation);
  const current = sorted.find((replicaSet) => equalIgnoreHash(replicaSet.spec?.template, deployment.spec.template));
  const old = sorted.filter((replicaSet) => replicaSet !== current);
  return { replicaSets: current ? [...old, current] : old, current };
}

/** Lists the ReplicaSets the Deployment controls (selector match and controller owner reference). */
export async function readHistory(client: KubeRequester, deployment: Deployment, deadline: number): Promise<RevisionHistory> {
  const namespace = deployment.metadata.namespace ?? 'default';
  const labelSelector = formatSelector(deployment.spec.selector);
  const list = (await client.request(
    `list the ReplicaSets of deployment "${deployment.metadata.name}" in namespace "${namespace}"`,
    { path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`, query: { labelSelector } },
    { deadline },
  )) as ObjectList<ReplicaSet>;

  const owned = list.items.filter((replicaSet) => isControlledBy(replicaSet, deployment));
  return orderHistory(deployment, owned);
}

/**
 * Picks the ReplicaSet to roll back to, exactly as kubectl's
 * `deploymentRevision`: `toRevision` 0 takes the second-highest revision seen
 * in history order (a ReplicaSet that repeats the highest revision counts as
 * second), any other value takes the first ReplicaSet with that revision.
 * Throws kubectl's messages when none fits.
 */
export function selectRevision(deployment: Deployment, history: RevisionHistory, toRevision: number): { replicaSet: ReplicaSet; revision: number } {
  if (toRevision < 0) throw revisionNotFound(toRevision, history);

  let latestRevision = -1;
  let previous: { replicaSet: ReplicaSet; revision: number } | undefined;
  let previousRevision = -1;
  let latest: ReplicaSet | undefined;

  for (const replicaSet of history.replicaSets) {
    const revision = revisionOf(replicaSet);
    if (revision === undefined) continue;

    if (toRevision === 0) {
      if (latestRevision < revision) {
        if (latest) previous = { replicaSet: latest, revision: latestRevision };
        previousRevision = latestRevision;
        latestRevision = revision;
        latest = replicaSet;
      } else if (previousRevision < revision) {
        previousRevision = revision;
        previous = { replicaSet, revision };
      }
    } else if (toRevision === revision) {
      return { replicaSet, revision };
    }
  }

  if (toRevision > 0) throw revisionNotFound(toRevision, history);
  if (!previous) throw new RollbackError(`no rollout history found for deployment "${deployment.metadata.name}"`);
  return previous;
}

/** Builds kubectl's message for a missing revision, followed by the revisions that do exist. */
function revisionNotFound(revision: number, history: RevisionHistory): RollbackError {
  const revisions = [...new Set(history.replicaSets.map((replicaSet) => revisionOf(replicaSet)).filter((known): known is number => known !== undefined && known > 0))].sort((a, b) => a - b);
  const known = revisions.length > 0 ? ` (revisions in history: ${revisions.join(', ')})` : '';
  return new RollbackError(`unable to find specified revision ${revision} in history${known}`);
}
