import type { Deployment, ReplicaSet } from './objects.ts';

/** The sink for the rollback library's progress lines. */
export interface RollbackLog {
  info(line: string): void;
  warning(line: string): void;
}

/** Checks run after the rollout finished, such as a smoke test. Returns one line per check. */
export type ExtraVerification = (deployment: Deployment) => Promise<VerificationCheck[]>;

/** The rollback of one Deployment. */
export interface RollbackRequest {
  deployment: string;
  namespace: string;
  /** Revision to roll back to; undefined for the previous revision. */
  toRevision?: number | undefined;
  /** Revision judged bad: roll back only while the Deployment is still at it. */
  expectedRevision?: number | undefined;
  /** Limit for the rollback and the wait together, in milliseconds. */
  timeoutMs: number;
  wait: boolean;
  /** Recorded in the `atom-actions.io/rollback-reason` annotation. */
  reason?: string;
  /** Decides and reports without writing anything. */
  dryRun?: boolean;
  /** Link to the workflow run, recorded in the `atom-actions.io/rollback-run-url` annotation. */
  runUrl?: string;
  /** Time without progress after which the wait inspects the new pods for crash loops. Default 5 s. */
  podCheckIntervalMs?: number;
  /** Extra checks after the rollout, such as a smoke test. */
  verify?: ExtraVerification;
}

/** The revision, images and pods of a Deployment at one moment. */
export interface RevisionSnapshot {
  revision: number | undefined;
  images: string[];
  changeCause: string;
  replicas: number;
  readyReplicas: number;
}

/** One verification check and its outcome. */
export interface VerificationCheck {
  name: string;
  passed: boolean;
  detail: string;
}

/** The outcome of a rollback: `rolled-back`, `skipped` (nothing to do, not an error) or `failed`. */
export type RollbackOutcome = 'rolled-back' | 'skipped' | 'failed';

/** The result of the rollback of one Deployment. */
export interface RollbackResult {
  deployment: string;
  namespace: string;
  outcome: RollbackOutcome;
  /** One sentence saying what happened and why. */
  message: string;
  fromRevision: number | undefined;
  toRevision: number | undefined;
  before: RevisionSnapshot | undefined;
  after: RevisionSnapshot | undefined;
  verification: VerificationCheck[];
  /** Whether the run only decided, without writing. */
  dryRun: boolean;
  durationMs: number;
}

/** The outcome of the undo step, before any wait. */
export type UndoOutcome =
  | { kind: 'patched'; before: Deployment; patched: Deployment; fromRevision: number | undefined; toRevision: number; target: ReplicaSet }
  | { kind: 'skipped'; before: Deployment; message: string; fromRevision: number | undefined; toRevision: number | undefined; current: ReplicaSet | undefined }
  | { kind: 'dry-run'; before: Deployment; message: string; fromRevision: number | undefined; toRevision: number; target: ReplicaSet };
