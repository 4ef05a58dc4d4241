import type { KubeClient } from '@atom-actions/shared/kube/client';
import type { SmokeReport } from '@atom-actions/shared/smoke/model';

import type { Measurement } from './analysis/model.ts';
import type { Cluster } from './kube/cluster.ts';
import type { MetricsPusher } from './report/pushgateway.ts';
import type { CanarySettings } from './settings.ts';

/** Outcome of a job: promoted, aborted, inconclusive, or paused for a later job. */
export type Decision = 'promoted' | 'aborted' | 'inconclusive' | 'paused';

/** The result of one job, which becomes the outputs and the summary. */
export interface RolloutResult {
  decision: Decision;
  /** Canary weight in percent in effect at the end. */
  weight: number;
  reason: string;
}

/** Everything a strategy needs for one job. */
export interface RolloutContext {
  settings: CanarySettings;
  cluster: Cluster;
  /** The shared Kubernetes client, for the rollback library. */
  client: KubeClient;
  log: (line: string) => void;
  warn: (line: string) => void;
  /** Aborts when the workflow is cancelled (SIGINT). */
  signal: AbortSignal;
  /** Every measurement of this job, in order. */
  measurements: Measurement[];
  pushgateway: MetricsPusher | undefined;
  /** Blue-green: the report of green's smoke test, once it ran. */
  smokeReport?: SmokeReport;
  /**
   * Records, before the first traffic change, that traffic may be on the
   * canary, so that the post step restores stable if this job stops early.
   */
  markTrafficShifted(): void;
}
