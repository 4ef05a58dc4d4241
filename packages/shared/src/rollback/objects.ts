/**
 * The Kubernetes objects a rollback reads, as plain JSON the way the API
 * server serves them. The library keeps them as JSON (not client-node's
 * model classes) so that a pod template is written back with every field.
 */

/** Object metadata (the fields a rollback reads). */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }[];
  [key: string]: unknown;
}

/** A label selector in the structured form of Deployment specs. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A container of a pod template (the fields a rollback reads). */
export interface Container {
  name: string;
  image?: string;
  [key: string]: unknown;
}

/** A pod template as Deployments and ReplicaSets carry it. */
export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  spec?: { containers?: Container[]; [key: string]: unknown };
}

/** A condition of a Deployment status. */
export interface DeploymentCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

/** An apps/v1 Deployment. */
export interface Deployment {
  metadata: ObjectMeta;
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template?: PodTemplate;
    paused?: boolean;
    progressDeadlineSeconds?: number;
    revisionHistoryLimit?: number;
    [key: string]: unknown;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: DeploymentCondition[];
  };
}

/** An apps/v1 ReplicaSet. */
export interface ReplicaSet {
  metadata: ObjectMeta;
  spec?: { replicas?: number; template?: PodTemplate; [key: string]: unknown };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

/** The state of one container of a Pod. */
export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string };
}

/** A core/v1 Pod (the fields verification reads). */
export interface Pod {
  metadata: ObjectMeta;
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: { name: string; ready?: boolean; restartCount?: number; state?: ContainerState; lastState?: ContainerState }[];
  };
}

/** A list response. */
export interface ObjectList<T> {
  metadata?: { resourceVersion?: string };
  items: T[];
}

/** The annotation that carries a Deployment's or ReplicaSet's revision. */
export const revisionAnnotation = 'deployment.kubernetes.io/revision';

/** The annotation that lists the earlier revisions a ReplicaSet served. */
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';

/** The annotation `kubectl --record` and deploy tools use for the reason of a change. */
export const changeCauseAnnotation = 'kubernetes.io/change-cause';

/**
 * Returns the revision in the object's revision annotation: 0 when absent
 * and undefined when it is not a whole number, as kubectl's `deploymentutil.Revision`.
 */
export function revisionOf(object: { metadata?: ObjectMeta }): number | undefined {
  const value = object.metadata?.annotations?.[revisionAnnotation];
  if (value === undefined) return 0;
  if (!/^[-+]?\d+$/.test(value)) return undefined;
  return Number(value);
}
