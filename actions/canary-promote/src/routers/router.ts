import type { Cluster, KubeObject } from '../kube/cluster.ts';
import type { CanarySettings } from '../settings.ts';

/** Cluster access, settings and logging shared by every traffic router. */
export interface RouterContext {
  cluster: Cluster;
  settings: CanarySettings;
  /** Replica count of the stable Deployment before the rollout. */
  stableReplicas: number;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** Moves traffic between the stable and the canary version through one kind of cluster object. */
export interface TrafficRouter {
  readonly kind: string;
  /** Creates or checks the objects the router needs (canary Service, canary Ingress, TrafficSplit). */
  prepare(canary: KubeObject): Promise<void>;
  /** Sends `weight` percent of traffic to the canary and returns the weight in effect, which may differ after rounding. */
  setWeight(weight: number): Promise<number>;
  /** Sends all traffic to stable at once. */
  restoreStable(): Promise<void>;
  /** Removes the canary from routing after promotion, deleting the objects this action created. */
  removeCanaryRouting(): Promise<void>;
}
