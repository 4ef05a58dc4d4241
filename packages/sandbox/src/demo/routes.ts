import { randomUUID } from 'node:crypto';

/** A parsed request as the route handlers see it. */
export interface DemoRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A response to send: status and a JSON body. */
export interface DemoResponse {
  status: number;
  body: unknown;
}

/** The state the handlers share: the version, the demo user and the tokens issued. */
export interface DemoState {
  version: string;
  credentials: { username: string; password: string };
  tokens: Set<string>;
}

type Handler = (request: DemoRequest, state: DemoState) => DemoResponse;

interface Route {
  method: string;
  path: string;
  authenticated: boolean;
  handle: Handler;
}

const skills = [
  { id: 'web-search', name: 'Web search' },
  { id: 'summarize', name: 'Summarize' },
  { id: 'code-review', name: 'Code review' },
];

/** The runbook's endpoints of the atom service. */
export const routes: readonly Route[] = [
  { method: 'GET', path: '/health/live', authenticated: false, handle: (_request, state) => ({ status: 200, body: { status: 'healthy', version: state.version } }) },
  { method: 'GET', path: '/health/ready', authenticated: false, handle: (_request, state) => ({ status: 200, body: { status: 'ready', version: state.version } }) },
  {
    method: 'GET',
    path: '/health/db',
    authenticated: false,
    handle: (_request, state) => ({ status: 200, body: { status: 'healthy', database: 'connected', version: state.version } }),
  },
  { method: 'POST', path: '/api/token', authenticated: false, handle: issueToken },
  { method: 'POST', path: '/api/agents/execute', authenticated: true, handle: executeAgent },
  { method: 'POST', path: '/api/canvas/present', authenticated: true, handle: presentCanvas },
  { method: 'GET', path: '/api/skills', authenticated: true, handle: () => ({ status: 200, body: skills }) },
];

/** Returns the `route` label of a path: the path of a known route, else `unmatched`, so label values stay few. */
export function routeLabel(path: string): string {
  return routes.some((route) => route.path === path) ? path : 'unmatched';
}

/** Handles a request with the route table: 404 for an unknown path, 405 for a wrong method, 401 without a valid bearer token. */
export function handleRoute(request: DemoRequest, state: DemoState): DemoResponse {
  const candidates = routes.filter((route) => route.path === request.path);
  if (candidates.length === 0) return { status: 404, body: { detail: 'Not Found' } };

  const route = candidates.find((candidate) => candidate.method === request.method);
  if (!route) return { status: 405, body: { detail: 'Method Not Allowed' } };

  if (route.authenticated && !hasValidToken(request, state)) return { status: 401, body: { detail: 'Not authenticated' } };
  return route.handle(request, state);
}

function hasValidToken(request: DemoRequest, state: DemoState): boolean {
  const header = request.headers['authorization'];
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match !== null && state.tokens.has(match[1] ?? '');
}

function issueToken(request: DemoRequest, state: DemoState): DemoResponse {
  const fields = readFields(request);
  if (fields.username !== state.credentials.username || fields.password !== state.credentials.password) {
    return { status: 401, body: { detail: 'Incorrect username or password' } };
  }
  const token = `demo-${randomUUID()}`;
  state.tokens.add(token);
  return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: 3600 } };
}

/** Reads `username` and `password` from a form body (the OAuth2 password flow) or a JSON body. */
function readFields(request: DemoRequest): { username?: string; password?: string } {
  const contentType = String(request.headers['content-type'] ?? '');
  if (contentType.includes('application/json')) {
    const body = parseJsonObject(request.body);
    return { username: stringField(body, 'username'), password: stringField(body, 'password') };
  }
  const form = new URLSearchParams(request.body);
  return { username: form.get('username') ?? undefined, password: form.get('password') ?? undefined };
}

function executeAgent(request: DemoRequest, state: DemoState): DemoResponse {
  const body = parseJsonObject(request.body);
  const agentId = stringField(body, 'agent_id');
  const query = stringField(body, 'query');
  if (!agentId || !query) return { status: 422, body: { detail: 'agent_id and query are required' } };
  return { status: 200, body: { execution_id: randomUUID(), agent_id: agentId, status: 'completed', result: `echo: ${query}`, version: state.version } };
}

function presentCanvas(request: DemoRequest, state: DemoState): DemoResponse {
  const body = parseJsonObject(request.body);
  const canvasType = stringField(body, 'canvas_type');
  if (!canvasType || body?.['content'] === undefined) return { status: 422, body: { detail: 'canvas_type and content are required' } };
  return { status: 200, body: { canvas_id: randomUUID(), canvas_type: canvasType, status: 'presented', version: state.version } };
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(object: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}
