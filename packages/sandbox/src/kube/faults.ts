/** A fault to inject into matching requests. */
export interface FaultSpec {
  /** HTTP method to match, such as `PATCH`; any method when unset. */
  method?: string;
  /**
   * The request path to match (without the query). A RegExp is tested
   * against the path; a string must equal the whole path, with `*` standing
   * for any run of characters.
   */
  pathPattern: RegExp | string;
  /** Respond with this HTTP status and a `Status` body with its standard reason, instead of serving the request. */
  status?: number;
  /** Seconds for the `Retry-After` header of a 429 or 503 response. */
  retryAfterSeconds?: number;
  /** Wait this many real milliseconds before responding. */
  latencyMs?: number;
  /** Apply the fault to this many matching requests, then stop; unlimited when unset. */
  times?: number;
  /** For a watch, close the connection this many real milliseconds after it starts. */
  dropWatchAfterMs?: number;
  /** Answer 409 Conflict for the object named in the path, as a stale write would get. */
  conflict?: boolean;
}

/** A registered fault, with the number of requests it has hit so far. */
export interface Fault extends FaultSpec {
  readonly id: number;
  hits: number;
  /** Removes the fault, so later requests are served normally. */
  remove(): void;
}

/** The faults a matching request gets, merged from every active fault that matches it. */
export interface MatchedFaults {
  status?: number;
  retryAfterSeconds?: number;
  latencyMs: number;
  dropWatchAfterMs?: number;
  conflict: boolean;
}

/** Holds the faults injected into the simulated API, matched per request by method and path. */
export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  /** Adds a fault; returns its handle with a hit count and remove(). */
  add(spec: FaultSpec): Fault {
    const fault: Fault = {
      ...spec,
      id: this.nextId++,
      hits: 0,
      remove: () => {
        this.faults = this.faults.filter((existing) => existing !== fault);
      },
    };
    this.faults.push(fault);
    return fault;
  }

  /** Removes every fault. */
  clear(): void {
    this.faults = [];
  }

  /** Returns the active faults. */
  list(): readonly Fault[] {
    return this.faults;
  }

  /** Finds the faults that match a request, counts the hit on each and merges them. */
  match(method: string, path: string): MatchedFaults | undefined {
    const matched = this.faults.filter((fault) => matches(fault, method, path));
    if (matched.length === 0) return undefined;

    const result: MatchedFaults = { latencyMs: 0, conflict: false };
    for (const fault of matched) {
      fault.hits += 1;
      if (fault.times !== undefined && fault.hits >= fault.times) fault.remove();
      result.latencyMs += fault.latencyMs ?? 0;
      if (fault.status !== undefined && result.status === undefined) {
        result.status = fault.status;
        result.retryAfterSeconds = fault.retryAfterSeconds;
      }
      if (fault.dropWatchAfterMs !== undefined) result.dropWatchAfterMs = fault.dropWatchAfterMs;
      if (fault.conflict) result.conflict = true;
    }
    return result;
  }
}

function matches(fault: FaultSpec, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  if (fault.pathPattern instanceof RegExp) {
    fault.pathPattern.lastIndex = 0;
    return fault.pathPattern.test(path);
  }
  return globToRegExp(fault.pathPattern).test(path);
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}
