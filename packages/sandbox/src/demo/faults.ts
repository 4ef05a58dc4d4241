/** Faults of one route. They apply in this order: latency, reset, redirect, HTML page, status, error rate. */
export interface RouteFault {
  /** Delay before the response, in milliseconds. */
  latencyMs?: number;
  /** Resets the connection (TCP RST) after the request arrives, so no response is sent. */
  reset?: boolean;
  /** Responds with 302 and this Location, a path or a URL. Two routes that point at each other make a loop. */
  redirectTo?: string;
  /** Responds with an HTML error page instead of JSON, with `status` (default 200). */
  html?: boolean;
  /** Responds to every request with this status and a JSON error body. */
  status?: number;
  /** Share of requests, from 0 to 1, answered with `errorStatus`. Spread evenly: 0.05 fails exactly 1 request in 20. */
  errorRate?: number;
  /** Status of the requests that `errorRate` fails. Default 500. */
  errorStatus?: number;
}

/** Faults of a demo service; the runtime copy is replaced as a whole by setFaults. */
export interface DemoFaults {
  /** Faults by request path, such as `/health/ready`; `*` applies to every route without its own entry. */
  routes?: Record<string, RouteFault>;
  /** Answers every route with `status` for the first `seconds` after the faults were set, as a deployment whose routes are not ready. */
  warmUp?: { status: 404 | 503; seconds: number };
}

const routeFaultKeys = ['latencyMs', 'reset', 'redirectTo', 'html', 'status', 'errorRate', 'errorStatus'];

/**
 * Validates faults received as JSON (from the CLI or `PUT /__sandbox/faults`)
 * and returns them typed. Throws an Error that names the invalid field.
 */
export function parseFaults(value: unknown): DemoFaults {
  const object = requireObject(value, 'faults');
  for (const key of Object.keys(object)) {
    if (key !== 'routes' && key !== 'warmUp') throw new Error(`faults has an unknown key "${key}": expected routes or warmUp`);
  }

  const faults: DemoFaults = {};
  if (object['routes'] !== undefined) {
    const routes = requireObject(object['routes'], 'faults.routes');
    faults.routes = Object.fromEntries(Object.entries(routes).map(([path, fault]) => [path, parseRouteFault(fault, `faults.routes["${path}"]`)]));
  }
  if (object['warmUp'] !== undefined) {
    const warmUp = requireObject(object['warmUp'], 'faults.warmUp');
    const status = warmUp['status'];
    const seconds = warmUp['seconds'];
    if (status !== 404 && status !== 503) throw new Error('faults.warmUp.status must be 404 or 503');
    if (typeof seconds !== 'number' || !(seconds >= 0)) throw new Error('faults.warmUp.seconds must be a number of at least 0');
    faults.warmUp = { status, seconds };
  }
  return faults;
}

function parseRouteFault(value: unknown, location: string): RouteFault {
  const object = requireObject(value, location);
  for (const key of Object.keys(object)) {
    if (!routeFaultKeys.includes(key)) throw new Error(`${location} has an unknown key "${key}": expected one of ${routeFaultKeys.join(', ')}`);
  }

  const fault: RouteFault = {};
  if (object['latencyMs'] !== undefined) fault.latencyMs = requireNumber(object['latencyMs'], `${location}.latencyMs`, 0, 600_000);
  if (object['reset'] !== undefined) fault.reset = requireBoolean(object['reset'], `${location}.reset`);
  if (object['redirectTo'] !== undefined) {
    if (typeof object['redirectTo'] !== 'string') throw new Error(`${location}.redirectTo must be a path or URL`);
    fault.redirectTo = object['redirectTo'];
  }
  if (object['html'] !== undefined) fault.html = requireBoolean(object['html'], `${location}.html`);
  if (object['status'] !== undefined) fault.status = requireNumber(object['status'], `${location}.status`, 100, 599);
  if (object['errorRate'] !== undefined) fault.errorRate = requireNumber(object['errorRate'], `${location}.errorRate`, 0, 1);
  if (object['errorStatus'] !== undefined) fault.errorStatus = requireNumber(object['errorStatus'], `${location}.errorStatus`, 100, 599);
  return fault;
}

function requireObject(value: unknown, location: string): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new Error(`${location} must be a JSON object`);
}

function requireNumber(value: unknown, location: string, min: number, max: number): number {
  if (typeof value === 'number' && value >= min && value <= max) return value;
  throw new Error(`${location} must be a number from ${min} to ${max}`);
}

function requireBoolean(value: unknown, location: string): boolean {
  if (typeof value === 'boolean') return value;
  throw new Error(`${location} must be true or false`);
}

/** Returns the faults of a path: its own entry, else the `*` entry, else none. */
export function faultFor(faults: DemoFaults, path: string): RouteFault {
  return faults.routes?.[path] ?? faults.routes?.['*'] ?? {};
}
