import { backoffDelay, sleep } from '../backoff.ts';
import { formatDuration } from '../duration.ts';
import type { KubeRequester } from '../kube/requester.ts';
import { errorMessage } from '../errors.ts';
import { readHistory, RollbackError } from './history.ts';
import type { Deployment, DeploymentCondition, ReplicaSet } from './objects.ts';
import { describeFailures, failingContainers, listReplicaSetPods } from './pods.ts';
import { isNewDeadlineExceeded, progressingCondition, rolloutStatus } from './status.ts';
import type { RollbackLog } from './types.ts';
import { readDeployment } from './undo.ts';

/** The inputs of the wait for one rollout. */
export interface WaitOptions {
  client: KubeRequester;
  /** The Deployment as the rollback patch returned it, or as read when confirming a skipped rollback. */
  deployment: Deployment;
  /** The ReplicaSet of the template being rolled out, whose pods are inspected. Undefined until the controller creates it: the pod check then looks it up. */
  target: ReplicaSet | undefined;
  /** The Progressing condition before the rollback, to tell a new deadline failure from a left-over one. */
  conditionBefore: DeploymentCondition | undefined;
  deadline: number;
  timeoutMs: number;
  log: RollbackLog;
  /** True when the wait confirms the current rollout after a skipped rollback, so that failure messages do not speak of this run's rollback. */
  confirming?: boolean;
  /** Time without progress after which the target's pods are inspected for crash loops. */
  podCheckIntervalMs: number;
}

/**
 * Waits until the Deployment reports `successfully rolled out`, logging each
 * new kubectl status message. It follows a watch from the patch's
 * resourceVersion and reads the Deployment again (then watches again) when
 * the watch drops or expires (410 Gone). It fails on a ProgressDeadlineExceeded
 * raised after the rollback, on containers of the target that crash-loop or
 * cannot pull their image, and at the deadline with the last status message.
 */
export function waitForRollout(options: WaitOptions): Promise<Deployment> {
  return new RolloutWaiter(options).run();
}

class RolloutWaiter {
  private readonly options: WaitOptions;
  private readonly name: string;
  private readonly namespace: string;
  private readonly generation: number;
  private target: ReplicaSet | undefined;
  private lastMessage = '';
  private lastProgressAt = Date.now();
  private lastPodCheckAt = 0;
  private resourceVersion: string | undefined;
  private watchController: AbortController | undefined;
  private restarts = 0;
  private progressedSinceRollback = false;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private settle: { resolve: (deployment: Deployment) => void; reject: (error: unknown) => void } | undefined;

  constructor(options: WaitOptions) {
    this.options = options;
    this.name = options.deployment.metadata.name ?? '';
    this.namespace = options.deployment.metadata.namespace ?? 'default';
    this.generation = options.deployment.metadata.generation ?? 0;
    this.target = options.target;
  }

  run(): Promise<Deployment> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };

      const remaining = Math.max(0, this.options.deadline - Date.now());
      this.timers.push(setTimeout(() => this.timeOut(), remaining));
      const tick = Math.max(50, Math.min(1000, this.options.podCheckIntervalMs));
      this.timers.push(setInterval(() => void this.checkPods(), tick));

      this.evaluate(this.options.deployment);
      if (!this.stopped) this.startWatch();
    });
  }

  private finish(error: unknown, deployment?: Deployment): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.watchController?.abort();
    if (deployment) this.settle?.resolve(deployment);
    else this.settle?.reject(error);
  }

  private evaluate(deployment: Deployment): void {
    this.resourceVersion = deployment.metadata.resourceVersion ?? this.resourceVersion;

    const condition = progressingCondition(deployment);
    const observed = (deployment.status?.observedGeneration ?? 0) >= this.generation;
    if (observed && condition && condition.reason !== 'ProgressDeadlineExceeded') this.progressedSinceRollback = true;

    if (isNewDeadlineExceeded(deployment, this.options.conditionBefore, this.generation, this.progressedSinceRollback)) {
      const when = this.options.confirming ? '' : ' after the rollback';
      this.finish(new RollbackError(`deployment "${this.name}" exceeded its progress deadline${when}: ${condition?.message ?? 'no progress'}`));
      return;
    }

    const status = rolloutStatus(deployment);
    if (status.message !== this.lastMessage) {
      this.options.log.info(status.message);
      this.lastMessage = status.message;
      this.lastProgressAt = Date.now();
    }
    if (status.done) this.finish(undefined, deployment);
  }

  private startWatch(): void {
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(this.namespace)}/deployments`;
    const remainingSeconds = Math.max(1, Math.ceil((this.options.deadline - Date.now()) / 1000));
    const query = { fieldSelector: `metadata.name=${this.name}`, resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: Math.min(remainingSeconds, 300) };

    this.options.client
      .watch(path, query, (type, object) => this.onEvent(type, object), (error) => this.onWatchEnd(error))
      .then((controller) => {
        if (this.stopped) controller.abort();
        else this.watchController = controller;
      })
      .catch((error: unknown) => this.onWatchEnd(error));
  }

  private onEvent(type: string, object: unknown): void {
    if (this.stopped) return;
    if (type === 'ADDED' || type === 'MODIFIED') {
      this.evaluate(object as Deployment);
    } else if (type === 'BOOKMARK') {
      this.resourceVersion = (object as Deployment).metadata?.resourceVersion ?? this.resourceVersion;
    } else if (type === 'DELETED') {
      this.finish(new RollbackError(`deployment "${this.name}" was deleted while waiting for its rollout`));
    } else if (type === 'ERROR') {
      const status = object as { code?: number; message?: string };
      this.options.log.info(`The watch of deployment "${this.name}" ended with ${status.code ?? 'an error'} (${status.message ?? 'no message'}); reading the Deployment again`);
      this.resourceVersion = undefined;
      this.watchController?.abort();
    }
  }

  private onWatchEnd(error: unknown): void {
    if (this.stopped) return;
    if (error) this.options.log.info(`The watch of deployment "${this.name}" dropped (${errorMessage(error)}); reading the Deployment again`);
    void this.relist(Boolean(error));
  }

  /** Reads the Deployment, evaluates it and watches again from its resourceVersion. */
  private async relist(failed: boolean): Promise<void> {
    this.watchController = undefined;
    try {
      if (failed) {
        this.restarts += 1;
        await sleep(Math.min(backoffDelay(this.restarts), Math.max(0, this.options.deadline - Date.now())));
      } else {
        this.restarts = 0;
      }
      if (this.stopped) return;

      const deployment = await readDeployment(this.options.client, this.name, this.namespace, this.options.deadline);
      this.evaluate(deployment);
      if (!this.stopped) this.startWatch();
    } catch (error) {
      this.finish(error);
    }
  }

  /** Inspects the target's pods once progress has stalled for the check interval. */
  private async checkPods(): Promise<void> {
    const now = Date.now();
    const interval = this.options.podCheckIntervalMs;
    if (this.stopped || now - this.lastProgressAt < interval || now - this.lastPodCheckAt < interval) return;
    this.lastPodCheckAt = now;

    try {
      this.target ??= (await readHistory(this.options.client, this.options.deployment, this.options.deadline)).current;
      if (!this.target) return;
      const pods = await listReplicaSetPods(this.options.client, this.options.deployment, this.target, this.options.deadline);
      const failures = failingContainers(pods);
      if (failures.length > 0) this.finish(new RollbackError(`the pods of ${this.options.confirming ? 'the current revision' : 'the restored revision'} of deployment "${this.name}" are failing: ${describeFailures(failures)}. Last status: ${this.lastMessage}`));
    } catch (error) {
      this.options.log.warning(`Could not inspect the pods of deployment "${this.name}": ${errorMessage(error)}`);
    }
  }

  private timeOut(): void {
    this.finish(new RollbackError(`timed out after ${formatDuration(this.options.timeoutMs)} waiting for the rollout of deployment "${this.name}": ${this.lastMessage}`));
  }
}
