import type { ServerResponse } from 'node:http';

import { ApiError, badRequest } from './errors.ts';
import { withKind } from './handlers.ts';
import { resourceKey } from './resources.ts';
import type { ResourceRoute } from './routes.ts';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import type { Store, StoreEvent } from './store.ts';
import { toTable, wantsTable } from './table.ts';
import type { KubeObject } from './types.ts';

/** Options of one watch stream. */
export interface WatchOptions {
  route: ResourceRoute;
  query: URLSearchParams;
  /** Close the stream after this many real milliseconds (fault injection). */
  dropAfterMs?: number;
  /** The Accept header; a request for `as=Table` gets each object as a one-row Table, as `kubectl get -w` expects. */
  accept?: string;
}

/**
 * Streams watch events as newline-delimited JSON, as the API server does.
 * Without a resourceVersion (or with `0`) the stream starts with an ADDED
 * event per current object. With one it replays the changes after it. A
 * resourceVersion older than the kept history gets an ERROR event with a
 * 410 Expired Status, then the stream ends. Objects that start or stop
 * matching the selectors arrive as ADDED or DELETED. The stream ends after
 * `timeoutSeconds`, when the client goes away, or when `close` is called.
 * Returns the function that closes the stream.
 */
export function streamWatch(store: Store, response: ServerResponse, options: WatchOptions): () => void {
  const { route, query } = options;
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '', route.type.plural);
  const inScope = (object: KubeObject) =>
    (route.namespace === undefined || object.metadata.namespace === route.namespace) &&
    (route.name === undefined || object.metadata.name === route.name);
  const matches = (object: KubeObject | undefined) =>
    object !== undefined && inScope(object) && matchesLabels(labels, object.metadata.labels) && matchesFields(fields, object);

  response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  response.flushHeaders();
  const asTable = wantsTable(options.accept);
  const send = (type: string, object: KubeObject | Record<string, unknown>) => {
    if (response.writableEnded) return;
    const body = asTable && type !== 'ERROR' ? toTable(route.type, [object as KubeObject], { resourceVersion: (object as KubeObject).metadata?.resourceVersion }) : object;
    response.write(`${JSON.stringify({ type, object: body })}\n`);
  };

  const deliver = (event: StoreEvent) => {
    if (resourceKey(event.resource) !== resourceKey(route.type)) return;
    const now = matches(event.object);
    const before = event.type === 'ADDED' ? false : matches(event.previous);
    if (event.type === 'DELETED') {
      if (before) send('DELETED', withKind(route.type, event.object));
      return;
    }
    if (now && before) send('MODIFIED', withKind(route.type, event.object));
    else if (now) send('ADDED', withKind(route.type, event.object));
    else if (before) send('DELETED', withKind(route.type, event.object));
  };

  const requested = query.get('resourceVersion') ?? '';
  let closed = false;
  let unsubscribe = () => {};
  const timers: NodeJS.Timeout[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    timers.forEach(clearTimeout);
    response.end();
  };

  try {
    const replay = initialEvents(store, route, requested, matches);
    for (const event of replay) deliver(event);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    send('ERROR', error.toStatus());
    close();
    return close;
  }
  unsubscribe = store.subscribe(deliver);

  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
  if (timeoutSeconds > 0) timers.push(setTimeout(close, timeoutSeconds * 1000));
  if (options.dropAfterMs !== undefined) {
    timers.push(
      setTimeout(() => {
        closed = true;
        unsubscribe();
        response.destroy();
      }, options.dropAfterMs),
    );
  }
  response.on('close', close);
  return close;
}

function initialEvents(store: Store, route: ResourceRoute, requested: string, matches: (object: KubeObject) => boolean): StoreEvent[] {
  if (requested === '' || requested === '0') {
    const current = store.list(route.type, route.namespace).filter(matches);
    return current.map((object) => ({ type: 'ADDED', resource: route.type, object, revision: Number(object.metadata.resourceVersion) }));
  }
  const revision = Number(requested);
  if (!Number.isInteger(revision) || revision < 0) throw badRequest(`invalid resource version: ${requested}`);
  return store.eventsSince(route.type, revision);
}
