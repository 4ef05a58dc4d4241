import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** One operation of GitHub's REST API: method, path template and JSON body schema. */
interface Route {
  method: string;
  template: string;
  schema?: unknown;
}

/** A route with its path as a regular expression and its count of literal segments. */
type CompiledRoute = Route & { pattern: RegExp; literals: number };

/** An operation matched to a request, with the path parameters filled in. */
export interface MatchedRoute {
  template: string;
  params: Record<string, string>;
  /** Validates a JSON body; undefined when the operation takes none. */
  validate: ValidateFunction | undefined;
}

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * GitHub's REST routes from the published OpenAPI description
 * (`@octokit/openapi`, file generated/api.github.com.deref.json). The file is
 * 73 MB, so the method, path and body schema of each operation are cached
 * in the temporary folder, keyed by the package version.
 */
export class GitHubRoutes {
  private readonly routes: CompiledRoute[];
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  private readonly validators = new Map<string, ValidateFunction | undefined>();

  constructor(routes: Route[]) {
    addFormats(this.ajv);
    this.routes = routes.map((route) => ({ ...route, pattern: templatePattern(route.template), literals: route.template.split('/').filter((part) => part && !part.startsWith('{')).length }));
  }

  /** Finds the operation of a method and path, preferring the template with the most literal segments. */
  match(method: string, pathname: string): MatchedRoute | undefined {
    const candidates = this.routes
      .filter((route) => route.method === method.toLowerCase())
      .map((route) => ({ route, match: route.pattern.exec(pathname) }))
      .filter((candidate): candidate is { route: CompiledRoute; match: RegExpExecArray } => candidate.match !== null)
      .sort((a, b) => b.route.literals - a.route.literals);
    const best = candidates[0];
    if (!best) return undefined;

    const params = Object.fromEntries(Object.entries(best.match.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]));
    return { template: best.route.template, params, validate: this.validator(best.route) };
  }

  /** Whether any method exists for the path, to tell 404 from 405. */
  hasPath(pathname: string): boolean {
    return this.routes.some((route) => route.pattern.test(pathname));
  }

  private validator(route: Route): ValidateFunction | undefined {
    const key = `${route.method} ${route.template}`;
    if (!this.validators.has(key)) this.validators.set(key, route.schema ? this.ajv.compile(route.schema as object) : undefined);
    return this.validators.get(key);
  }
}

function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      return name ? `(?<${name}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

let cached: Promise<GitHubRoutes> | undefined;

/** Loads GitHub's routes once per process, from the cache file when present. */
export function loadGitHubRoutes(): Promise<GitHubRoutes> {
  cached ??= Promise.resolve().then(() => new GitHubRoutes(readRoutes()));
  return cached;
}

function readRoutes(): Route[] {
  const packageFile = require.resolve('@octokit/openapi/package.json');
  const version = (JSON.parse(fs.readFileSync(packageFile, 'utf8')) as { version: string }).version;
  const cacheFile = path.join(os.tmpdir(), `atom-github-routes-${version}-v2.json`);
  try {
    return JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Route[];
  } catch {
    // No cache yet: read the full description below.
  }

  const description = path.join(path.dirname(packageFile), 'generated', 'api.github.com.deref.json');
  const routes = extractRoutes(JSON.parse(fs.readFileSync(description, 'utf8')) as { paths: Record<string, Record<string, unknown>> });

  // Written under a unique name, then renamed, so a parallel reader never sees half a file.
  const temporary = `${cacheFile}.${process.pid}.${Date.now()}`;
  fs.writeFileSync(temporary, JSON.stringify(routes));
  fs.renameSync(temporary, cacheFile);
  return routes;
}

function extractRoutes(description: { paths: Record<string, Record<string, unknown>> }): Route[] {
  const methods = new Set(['get', 'post', 'put', 'patch', 'delete']);
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(description.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!methods.has(method)) continue;
      const body = operation as { requestBody?: { content?: Record<string, { schema?: unknown }> } };
      const schema = body.requestBody?.content?.['application/json']?.schema;
      routes.push({ method, template, schema: schema === undefined ? undefined : toJsonSchema(schema) });
    }
  }
  return routes;
}

/**
 * Converts OpenAPI 3.0's `nullable: true`, which Ajv rejects without a
 * `type`, into JSON Schema: `null` joins the type list, or the schema
 * becomes `anyOf` of itself and `null`.
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (typeof schema !== 'object' || schema === null) return schema;

  const { nullable, ...rest } = schema as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, toJsonSchema(value)]));
  if (nullable !== true) return converted;
  if (typeof converted['type'] === 'string') return { ...converted, type: [converted['type'], 'null'] };
  return { anyOf: [converted, { type: 'null' }] };
}
