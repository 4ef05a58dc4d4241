import type { ErrorObject } from 'ajv';

import type { GitHubRoutes, MatchedRoute } from './github-openapi.ts';
import type { GitHubStore, StoredIssue } from './github-store.ts';
import { jsonResponse, type Handler, type IncomingRequest, type ReceiverResponse } from './http.ts';

/** GitHub's limits on issue text, enforced with GitHub's 422 response. */
const maxBody = 65_536;
const maxTitle = 256;
const documentationUrl = 'https://docs.github.com/rest';

/**
 * Builds the GitHub REST handler. Each request must carry a token, and its
 * method and path must be an operation of GitHub's OpenAPI description. Its
 * JSON body must match that operation's schema, or it gets 422. Issue,
 * comment and label operations are served from the store, and other valid
 * operations get 501, so a test notices a call the receiver does not model.
 */
export function createGitHubHandler(routes: GitHubRoutes, store: GitHubStore, token?: string): Handler {
  return (request) => {
    const auth = request.headers['authorization'] ?? '';
    if (!/^(token|bearer) \S+$/i.test(auth)) return jsonResponse(401, { message: 'Requires authentication', documentation_url: documentationUrl });
    if (token && auth.split(' ')[1] !== token) return jsonResponse(401, { message: 'Bad credentials', documentation_url: documentationUrl });

    const route = routes.match(request.method, request.url.pathname);
    if (!route) {
      const status = routes.hasPath(request.url.pathname) ? 405 : 404;
      return jsonResponse(status, { message: status === 404 ? 'Not Found' : 'Method Not Allowed', documentation_url: documentationUrl });
    }

    const invalid = validateBody(route, request);
    if (invalid) return invalid;
    return answer(route, request, store);
  };
}

function validateBody(route: MatchedRoute, request: IncomingRequest): ReceiverResponse | undefined {
  if (!route.validate) return undefined;
  if (request.json === undefined) return jsonResponse(400, { message: 'Problems parsing JSON', documentation_url: documentationUrl });
  if (route.validate(request.json)) return undefined;

  const errors = (route.validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath || 'body'} ${error.message ?? 'is invalid'}`);
  return jsonResponse(422, { message: 'Invalid request.', errors, documentation_url: documentationUrl });
}

function answer(route: MatchedRoute, request: IncomingRequest, store: GitHubStore): ReceiverResponse {
  const { owner = '', repo = '' } = route.params;
  const body = (request.json ?? {}) as Record<string, unknown>;
  const key = `${request.method.toUpperCase()} ${route.template}`;

  switch (key) {
    case 'GET /repos/{owner}/{repo}/issues':
      return listIssues(store.issues(owner, repo), request.url);
    case 'POST /repos/{owner}/{repo}/issues':
      return createIssue(store, owner, repo, body);
    case 'GET /repos/{owner}/{repo}/labels':
      return jsonResponse(200, store.labels(owner, repo));
    case 'POST /repos/{owner}/{repo}/labels':
      return createLabel(store, owner, repo, body);
    case 'GET /repos/{owner}/{repo}/labels/{name}': {
      const label = store.findLabel(owner, repo, route.params['name'] ?? '');
      return label ? jsonResponse(200, label) : notFound();
    }
  }

  const issue = store.issues(owner, repo).find((candidate) => String(candidate.number) === route.params['issue_number']);
  if (!issue) return notFound();

  switch (key) {
    case 'GET /repos/{owner}/{repo}/issues/{issue_number}':
      return jsonResponse(200, issue);
    case 'PATCH /repos/{owner}/{repo}/issues/{issue_number}':
      return updateIssue(store, owner, repo, issue, body);
    case 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments':
      return jsonResponse(200, store.comments(owner, repo, issue.number));
    case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments':
      return addComment(store, owner, repo, issue, body);
    case 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels':
      return addLabels(store, owner, repo, issue, body);
  }
  return jsonResponse(501, { message: `The GitHub receiver does not model ${key}.` });
}

function listIssues(issues: readonly StoredIssue[], url: URL): ReceiverResponse {
  const state = url.searchParams.get('state') ?? 'open';
  const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean).map((label) => label.toLowerCase());
  const descending = (url.searchParams.get('direction') ?? 'desc') === 'desc';
  const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30);
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);

  const matching = issues
    .filter((issue) => state === 'all' || issue.state === state)
    .filter((issue) => labels.every((label) => issue.labels.some((candidate) => candidate.name.toLowerCase() === label)))
    .sort((a, b) => (descending ? b.number - a.number : a.number - b.number));
  const lastPage = Math.max(1, Math.ceil(matching.length / perPage));

  const links: string[] = [];
  const pageUrl = (number: number): string => {
    const copy = new URL(url);
    copy.searchParams.set('page', String(number));
    return `<${copy.href}>`;
  };
  if (page < lastPage) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(lastPage)}; rel="last"`);
  return jsonResponse(200, matching.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(', ') } : {});
}

function createIssue(store: GitHubStore, owner: string, repo: string, body: Record<string, unknown>): ReceiverResponse {
  const title = String(body['title'] ?? '');
  const text = typeof body['body'] === 'string' ? body['body'] : null;
  const tooLong = textTooLong('Issue', title, text);
  if (tooLong) return tooLong;

  const labels = Array.isArray(body['labels']) ? body['labels'].map(labelName) : [];
  return jsonResponse(201, store.createIssue(owner, repo, { title, body: text, labels }));
}

/** Returns a label's name: GitHub takes names or `{ name }` objects. */
function labelName(label: unknown): string {
  if (typeof label === 'string') return label;
  return String((label as { name?: string }).name ?? '');
}

function updateIssue(store: GitHubStore, owner: string, repo: string, issue: StoredIssue, body: Record<string, unknown>): ReceiverResponse {
  const tooLong = textTooLong('Issue', typeof body['title'] === 'string' ? body['title'] : '', typeof body['body'] === 'string' ? body['body'] : null);
  if (tooLong) return tooLong;

  if (typeof body['title'] === 'string') issue.title = body['title'];
  if (typeof body['body'] === 'string') issue.body = body['body'];
  if (Array.isArray(body['labels'])) issue.labels = store.resolveLabels(owner, repo, body['labels'].map(String));
  if (body['state'] === 'closed' && issue.state === 'open') {
    issue.state = 'closed';
    issue.closed_at = new Date().toISOString();
    issue.state_reason = typeof body['state_reason'] === 'string' ? body['state_reason'] : 'completed';
  } else if (body['state'] === 'open') {
    issue.state = 'open';
    issue.closed_at = null;
    issue.state_reason = 'reopened';
  }
  issue.updated_at = new Date().toISOString();
  return jsonResponse(200, issue);
}

function addComment(store: GitHubStore, owner: string, repo: string, issue: StoredIssue, body: Record<string, unknown>): ReceiverResponse {
  const text = String(body['body'] ?? '');
  const tooLong = textTooLong('IssueComment', '', text);
  if (tooLong) return tooLong;
  return jsonResponse(201, store.addComment(owner, repo, issue, text));
}

function addLabels(store: GitHubStore, owner: string, repo: string, issue: StoredIssue, body: Record<string, unknown>): ReceiverResponse {
  const names = Array.isArray(body['labels']) ? body['labels'].map(String) : [];
  for (const label of store.resolveLabels(owner, repo, names)) {
    if (!issue.labels.some((existing) => existing.id === label.id)) issue.labels.push(label);
  }
  return jsonResponse(200, issue.labels);
}

function createLabel(store: GitHubStore, owner: string, repo: string, body: Record<string, unknown>): ReceiverResponse {
  const name = String(body['name'] ?? '');
  if (store.findLabel(owner, repo, name)) {
    return jsonResponse(422, { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }], documentation_url: documentationUrl });
  }
  const color = typeof body['color'] === 'string' ? body['color'].replace(/^#/, '') : 'ededed';
  const description = typeof body['description'] === 'string' ? body['description'] : null;
  return jsonResponse(201, store.createLabel(owner, repo, name, color, description));
}

function textTooLong(resource: string, title: string, body: string | null): ReceiverResponse | undefined {
  const errors: Record<string, string>[] = [];
  if (title.length > maxTitle) errors.push({ resource, code: 'custom', field: 'title', message: `title is too long (maximum is ${maxTitle} characters)` });
  if (body !== null && body.length > maxBody) errors.push({ resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${maxBody} characters)` });
  return errors.length > 0 ? jsonResponse(422, { message: 'Validation Failed', errors, documentation_url: documentationUrl }) : undefined;
}

function notFound(): ReceiverResponse {
  return jsonResponse(404, { message: 'Not Found', documentation_url: documentationUrl });
}
