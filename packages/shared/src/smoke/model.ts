/**
 * Types of the smoke-test library: the checks as parsed from the inputs, the
 * run configuration, and the report of a run. This file has no runtime code,
 * so settings modules can import it without loading anything.
 */

/** A test on one value: every operator given must hold. */
export interface ValueAssertion {
  equals?: unknown;
  exists?: boolean;
  matches?: string;
  contains?: string;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  /** Length of a list or string, or the number of keys of an object. */
  length?: number | LengthAssertion;
  type?: JsonType;
}

/** Bounds on a length. */
export interface LengthAssertion {
  equals?: number;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** The JSON type names accepted by the `type` operator. */
export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

/** One allowed status, or an inclusive range of statuses. */
export interface StatusRange {
  min: number;
  max: number;
}

/** The conditions a response must meet for its check to pass. */
export interface Expectation {
  /** Allowed statuses; the check passes when any range contains the status. */
  status: StatusRange[];
  /** JSONPath expression to the assertion its value must pass. */
  json: Record<string, ValueAssertion>;
  /** Lower-cased header name to the assertion its value must pass. */
  headers: Record<string, ValueAssertion>;
  body?: ValueAssertion;
  /** Maximum duration of one attempt in milliseconds, or undefined for no budget. */
  latencyMs?: number;
}

/** A value read from a response and stored under a name for later checks. */
export interface Capture {
  name: string;
  source: { json: string } | { header: string };
  /** Whether the value is masked in logs, summaries and reports. */
  secret: boolean;
}

/** A header value, possibly containing `{{ name }}` templates. */
export interface HeaderValue {
  value: string;
  secret: boolean;
}

/** The body of a check's request. */
export type RequestBody = { kind: 'json'; value: unknown } | { kind: 'form'; value: Record<string, string> } | { kind: 'raw'; value: string };

/** One HTTP check, with templates still unresolved. */
export interface SmokeCheck {
  name: string;
  method: string;
  /** A path below the base URL (starting with `/`) or an absolute URL. */
  target: { path: string } | { url: string };
  headers: Record<string, HeaderValue>;
  query: Record<string, string>;
  body?: RequestBody;
  expect: Expectation;
  captures: Capture[];
  /** Attempts that must pass in a row before the check passes. */
  consecutiveSuccesses: number;
  /** Whether failed attempts are retried. */
  retry: boolean;
  /** Limit of one attempt in milliseconds. */
  timeoutMs: number;
  /** Names of the values (captures and credentials) that the check's templates use. */
  uses: string[];
}

/** The retry rules for failed attempts. */
export interface RetryPolicy {
  /** Retries after failed attempts, per check. */
  retries: number;
  /** Wait before the first retry in milliseconds; it doubles up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Window from the start of the run in which 404 and 503 are retried, in milliseconds. */
  warmUpMs: number;
}

/** TLS settings for HTTPS checks. */
export interface TlsSettings {
  /** PEM certificates trusted in addition to the system's, or undefined. */
  ca?: string;
  /** Whether certificate verification is skipped. */
  insecureSkipVerify: boolean;
}

/** The runbook environment, which sets default latency budgets. */
export type SmokeEnvironment = 'staging' | 'production';

/** Everything a smoke-test run needs, parsed and validated from the inputs. */
export interface SmokeConfig {
  baseUrl: URL;
  checks: SmokeCheck[];
  /** Values for `{{ username }}` and `{{ password }}`. */
  credentials: { username: string; password: string };
  /** Checks run at the same time, at most. */
  concurrency: number;
  /** Limit for the whole run in milliseconds. */
  timeoutMs: number;
  retry: RetryPolicy;
  maxRedirects: number;
  tls: TlsSettings;
  environment?: SmokeEnvironment;
  /** Budget for the 95th percentile latency of the run in milliseconds, or undefined. */
  p95BudgetMs?: number;
}

/** The cause of a failed check, for reports and for retry decisions. */
export type FailureKind =
  | 'connection-refused'
  | 'connection-reset'
  | 'timeout'
  | 'tls'
  | 'dns'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'status'
  | 'not-json'
  | 'assertion'
  | 'capture'
  | 'latency'
  | 'deadline'
  | 'dependency'
  | 'other';

/** The outcome of one check. */
export interface CheckResult {
  name: string;
  method: string;
  /** The URL of the last attempt, with secrets redacted. */
  url: string;
  outcome: 'passed' | 'failed' | 'skipped';
  attempts: number;
  /** Status of the last response, if any arrived. */
  status?: number;
  /** Duration of the last attempt that received a response, in milliseconds. */
  latencyMs?: number;
  /** Durations of the attempts counted in the latency percentiles, in milliseconds. */
  latencySamplesMs: number[];
  latencyBudgetMs?: number;
  failureKind?: FailureKind;
  reason?: string;
  /** The start of the last response body, whitespace collapsed, for failures. */
  bodyExcerpt?: string;
  /** URLs visited through redirects in the last attempt, in order. */
  redirects: string[];
  durationMs: number;
}

/** Latency percentiles of a run, in milliseconds; undefined when no response arrived. */
export interface LatencyPercentiles {
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  samples: number;
}

/** The outcome of a smoke-test run. */
export interface SmokeReport {
  passed: boolean;
  baseUrl: string;
  environment?: SmokeEnvironment;
  startedAt: string;
  durationMs: number;
  total: number;
  failed: number;
  skipped: number;
  latency: LatencyPercentiles;
  p95BudgetMs?: number;
  /** The reason the run failed although every check passed, such as a P95 over budget. */
  budgetFailure?: string;
  checks: CheckResult[];
}

/** The sink of the runner's progress lines. */
export interface SmokeLog {
  info(message: string): void;
  warning(message: string): void;
}
