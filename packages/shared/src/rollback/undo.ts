import type { KubeRequester } from '../kube/requester.ts';
import { KubeApiError, statusOf } from '../kube/errors.ts';
import { readHistory, RollbackError, selectRevision, type RevisionHistory } from './history.ts';
import { revisionOf, type Deployment, type ReplicaSet } from './objects.ts';
import { activeRecord, buildRecord } from './record.ts';
import { equalIgnoreHash, rollbackAnnotations, templateImages, templateWithoutHash } from './template.ts';
import type { RollbackLog, RollbackRequest, UndoOutcome } from './types.ts';

/** Conflicts after which the undo stops re-reading and fails. */
const maxConflicts = 5;

/** The decision taken on one read of the Deployment. */
type Decision = UndoOutcome | { kind: 'patch'; target: ReplicaSet; toRevision: number };

/** Returns the API path of a Deployment. */
function deploymentPath(name: string, namespace: string): string {
  return `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`;
}

/** Reads a Deployment as JSON. Throws KubeApiError (404 with a clear message when it does not exist). */
export async function readDeployment(client: KubeRequester, name: string, namespace: string, deadline: number): Promise<Deployment> {
  try {
    return (await client.request(`read deployment "${name}" in namespace "${namespace}"`, { path: deploymentPath(name, namespace) }, { deadline })) as Deployment;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    throw new RollbackError(`deployment "${name}" was not found in namespace "${namespace}" (context "${client.context}"). Check the name and the namespace input.`);
  }
}

/**
 * Rolls the Deployment's pod template back exactly once. The JSON patch
 * starts with a `test` of the resourceVersion that was read, so it applies
 * only to the state the decision was based on. On a conflict (409, or 422
 * from the failed test) it reads the Deployment again and decides again:
 * when another run rolled it back in between, or it left the revision that
 * was judged bad, it reports `skipped` and writes nothing.
 */
export async function undoDeployment(client: KubeRequester, request: RollbackRequest, log: RollbackLog, deadline: number): Promise<UndoOutcome> {
  const label = `deployment "${request.deployment}"`;
  let judgedBad: number | undefined;
  let written: { at: string; target: ReplicaSet; toRevision: number } | undefined;

  for (let attempt = 1; attempt <= maxConflicts; attempt++) {
    const deployment = await readDeployment(client, request.deployment, request.namespace, deadline);
    const history = await readHistory(client, deployment, deadline);
    const current = revisionOf(deployment);
    if (attempt === 1) {
      judgedBad = request.expectedRevision ?? current;
      log.info(`${label}: at revision ${current ?? '?'} (${templateImages(deployment.spec.template).join(', ')}), ${history.replicaSets.length} ReplicaSets in history`);
    }

    // A write that timed out may still have landed: our own record proves it.
    const record = activeRecord(deployment, history.current);
    if (written && record?.at === written.at) {
      log.info(`${label}: the earlier patch was applied although its response was lost`);
      return { kind: 'patched', before: deployment, patched: deployment, fromRevision: judgedBad, toRevision: written.toRevision, target: written.target };
    }

    const decision = decideOrAttach(deployment, history, request, judgedBad, attempt > 1);
    if (decision.kind !== 'patch') return decision;

    const at = new Date();
    written = { at: at.toISOString(), target: decision.target, toRevision: decision.toRevision };
    log.info(`${label}: rolling back from revision ${current ?? '?'} to revision ${decision.toRevision} (ReplicaSet ${decision.target.metadata.name}, ${templateImages(decision.target.spec?.template).join(', ')})`);

    try {
      const patched = await patchDeployment(client, deployment, decision.target, buildRecord({ from: current, to: decision.toRevision, replicaSet: decision.target.metadata.name ?? '', reason: request.reason, runUrl: request.runUrl, at }), deadline);
      return { kind: 'patched', before: deployment, patched, fromRevision: current, toRevision: decision.toRevision, target: decision.target };
    } catch (error) {
      if (!isConflict(error)) throw error;
      log.info(`${label}: the Deployment changed after it was read (${(error as KubeApiError).reason || 'conflict'}); reading it again to decide again (attempt ${attempt} of ${maxConflicts})`);
    }
  }

  throw new RollbackError(`${label} kept changing during the rollback: ${maxConflicts} conditional writes in a row met a newer version. Check what else updates it and run the rollback again.`);
}

/** Calls decide and attaches the Deployment that was read to a RollbackError, for the result's "before" state. */
function decideOrAttach(deployment: Deployment, history: RevisionHistory, request: RollbackRequest, judgedBad: number | undefined, reread: boolean): Decision {
  try {
    return decide(deployment, history, request, judgedBad, reread);
  } catch (error) {
    if (error instanceof RollbackError) error.deployment = deployment;
    throw error;
  }
}

/** Decides what to do with one read of the Deployment: a skip, a dry run, an error or a patch. */
function decide(deployment: Deployment, history: RevisionHistory, request: RollbackRequest, judgedBad: number | undefined, reread: boolean): Decision {
  const name = request.deployment;
  const current = revisionOf(deployment);
  const skipped = (message: string, toRevision?: number): Decision => ({ kind: 'skipped', before: deployment, message, fromRevision: current, toRevision, current: history.current });

  if (request.expectedRevision !== undefined && current !== undefined && current < request.expectedRevision) {
    // Revision numbers only grow, so the Deployment never had this revision: a wrong number, or a re-created Deployment.
    throw new RollbackError(`deployment "${name}" is at revision ${current}, below the expected revision ${request.expectedRevision}, which it has never had. Check expected-revision; nothing was changed.`);
  }
  if (request.expectedRevision !== undefined && current !== request.expectedRevision) {
    return skipped(`deployment "${name}" is at revision ${current}, not at the expected revision ${request.expectedRevision}: it was already rolled back or replaced, so nothing was changed`);
  }
  if (reread && current !== judgedBad) {
    return skipped(`deployment "${name}" moved from revision ${judgedBad} to revision ${current} while this rollback was deciding, so nothing was changed`);
  }

  const record = request.toRevision === undefined ? activeRecord(deployment, history.current) : undefined;
  if (record) {
    const by = record.runUrl ? ` by ${record.runUrl}` : '';
    return skipped(`deployment "${name}" was already rolled back from revision ${record.from} to revision ${record.to}${by} at ${record.at}, so nothing was changed; set to-revision to roll back further`);
  }

  const { replicaSet: target, revision } = selectRevision(deployment, history, request.toRevision ?? 0);

  if (deployment.spec.paused) {
    throw new RollbackError(`you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`);
  }
  if (equalIgnoreHash(target.spec?.template, deployment.spec.template)) {
    return skipped(`skipped rollback (current template already matches revision ${revision})`, revision);
  }
  if (request.dryRun) {
    const images = templateImages(target.spec?.template).join(', ');
    return { kind: 'dry-run', before: deployment, message: `dry run: would roll back deployment "${name}" from revision ${current} to revision ${revision} (${images})`, fromRevision: current, toRevision: revision, target };
  }
  return { kind: 'patch', target, toRevision: revision };
}

/**
 * Sends kubectl's rollback patch (replace the pod template, set the
 * annotations) as a JSON patch whose first operation tests the
 * resourceVersion that was read.
 */
async function patchDeployment(client: KubeRequester, deployment: Deployment, target: ReplicaSet, record: Record<string, string>, deadline: number): Promise<Deployment> {
  const name = deployment.metadata.name ?? '';
  const namespace = deployment.metadata.namespace ?? 'default';
  const body = [
    { op: 'test', path: '/metadata/resourceVersion', value: deployment.metadata.resourceVersion },
    { op: 'replace', path: '/spec/template', value: templateWithoutHash(target.spec?.template) },
    { op: 'add', path: '/metadata/annotations', value: rollbackAnnotations(deployment, target, record) },
  ];

  // The resourceVersion test makes a repeated patch fail instead of applying twice, so retrying is safe.
  return (await client.request(`patch deployment "${name}" in namespace "${namespace}"`, { method: 'PATCH', path: deploymentPath(name, namespace), body, contentType: 'application/json-patch+json' }, { deadline, idempotent: true })) as Deployment;
}

/**
 * Returns whether a write failed because the object changed since it was
 * read: a 409, or a 422 whose message or causes report the failed `test`
 * operation (the API server puts it in `details.causes`).
 */
export function isConflict(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 409) return true;
  if (status !== 422 || !(error instanceof KubeApiError)) return false;
  return [error.message, ...error.causes].some((text) => /\btest(ing)?\b/i.test(text));
}
