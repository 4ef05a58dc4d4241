import { jsonResponse, type Handler, type ReceiverResponse } from './http.ts';

/** One PagerDuty alert, grouped by dedup_key, with the actions it received. */
export interface PagerDutyIncident {
  dedupKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  summary: string;
  actions: string[];
}

const severities = ['critical', 'error', 'warning', 'info'];

/**
 * Builds the PagerDuty Events API v2 handler. A valid event gets 202 with
 * `dedup_key`; an invalid one gets 400 `Invalid event` with an errors array,
 * as PagerDuty responds. Checks: a 32-character routing_key, event_action,
 * summary of at most 1,024 characters, source, severity, dedup_key of at
 * most 255 characters and a body of at most 512 KB.
 */
export function createPagerDutyHandler(incidents: Map<string, PagerDutyIncident>): Handler {
  return (request) => {
    if (Buffer.byteLength(request.body, 'utf8') > 512 * 1024) return invalid(['Payload too large (maximum is 512 KB)']);
    if (typeof request.json !== 'object' || request.json === null) return invalid(['Event object is invalid']);

    const event = request.json as Record<string, unknown>;
    const errors = validateEvent(event);
    if (errors.length > 0) return invalid(errors);

    const action = String(event['event_action']);
    const dedupKey = typeof event['dedup_key'] === 'string' ? event['dedup_key'] : `generated-${incidents.size + 1}`;
    const payload = (event['payload'] ?? {}) as Record<string, unknown>;
    const existing = incidents.get(dedupKey);

    if (action === 'trigger') {
      const incident = existing && existing.status !== 'resolved' ? existing : { dedupKey, status: 'triggered' as const, summary: String(payload['summary']), actions: [] };
      incident.actions.push(action);
      incidents.set(dedupKey, incident);
    } else if (existing) {
      // An acknowledge after a resolve leaves the incident resolved.
      if (action === 'resolve') existing.status = 'resolved';
      else if (existing.status !== 'resolved') existing.status = 'acknowledged';
      existing.actions.push(action);
    }
    return jsonResponse(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  };
}

function validateEvent(event: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const routingKey = event['routing_key'];
  if (typeof routingKey !== 'string') errors.push("'routing_key' is missing or blank");
  else if (routingKey.length !== 32) errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");

  const action = event['event_action'];
  if (action !== 'trigger' && action !== 'acknowledge' && action !== 'resolve') errors.push("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");
  if (event['dedup_key'] !== undefined && (typeof event['dedup_key'] !== 'string' || event['dedup_key'].length > 255)) errors.push("'dedup_key' must be a string of at most 255 characters");
  if (action !== 'trigger' && typeof event['dedup_key'] !== 'string') errors.push("'dedup_key' is required for acknowledge and resolve");
  if (action !== 'trigger') return errors;

  const payload = event['payload'] as Record<string, unknown> | undefined;
  if (typeof payload !== 'object' || payload === null) return [...errors, "'payload' is missing"];
  if (typeof payload['summary'] !== 'string' || payload['summary'] === '') errors.push("'payload.summary' is missing or blank");
  else if (payload['summary'].length > 1024) errors.push("'payload.summary' is too long (maximum is 1024 characters)");
  if (typeof payload['source'] !== 'string' || payload['source'] === '') errors.push("'payload.source' is missing or blank");
  if (!severities.includes(String(payload['severity']))) errors.push("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')");
  return errors;
}

function invalid(errors: string[]): ReceiverResponse {
  return jsonResponse(400, { status: 'invalid event', message: 'Event object is invalid', errors });
}
