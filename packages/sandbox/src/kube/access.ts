import { randomBytes } from 'node:crypto';

import { forbidden, unauthorized, type AccessRequest } from './errors.ts';

/** A rule that denies a user access to namespaces or resources. */
export interface DenyRule {
  /** The user the rule applies to; every user when unset. */
  user?: string;
  /** Namespace the rule denies; every namespace and cluster-scoped requests when unset. */
  namespace?: string;
  /** Plural resource name such as `deployments`; every resource when unset. */
  resource?: string;
  /** Verbs the rule denies, such as `['patch', 'update']`; every verb when unset. */
  verbs?: string[];
}

/**
 * Authenticates bearer tokens and applies deny rules, returning 401 and
 * 403 as a real API server with RBAC does. Every known token is allowed
 * everything that no rule denies.
 */
export class AccessControl {
  private readonly tokens = new Map<string, string>();
  private rules: DenyRule[] = [];
  /** The token of the default user, written into the kubeconfig. */
  readonly defaultToken: string;
  /** The name of the default user, as 403 messages show it. */
  readonly defaultUser = 'atom-sim-admin';

  constructor() {
    this.defaultToken = randomBytes(24).toString('hex');
    this.tokens.set(this.defaultToken, this.defaultUser);
  }

  /** Registers another bearer token for a user; returns the token (a random one when none is given). */
  addToken(user: string, token: string = randomBytes(24).toString('hex')): string {
    this.tokens.set(token, user);
    return token;
  }

  /** Stops accepting a token, so requests with it get 401 Unauthorized. */
  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  /** Adds a deny rule; returns a function that removes it. */
  deny(rule: DenyRule): () => void {
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter((existing) => existing !== rule);
    };
  }

  /** Returns the user of an `Authorization` header, raising 401 for a missing or unknown token. */
  authenticate(header: string | undefined): string {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    const user = token === undefined ? undefined : this.tokens.get(token);
    if (user === undefined) throw unauthorized();
    return user;
  }

  /** Raises 403 Forbidden when a deny rule matches the request. */
  authorize(user: string, request: AccessRequest): void {
    const denied = this.rules.some(
      (rule) =>
        (rule.user === undefined || rule.user === user) &&
        (rule.namespace === undefined || rule.namespace === request.namespace) &&
        (rule.resource === undefined || rule.resource === request.resource) &&
        (rule.verbs === undefined || rule.verbs.includes(request.verb)),
    );
    if (denied) throw forbidden(user, request);
  }
}
