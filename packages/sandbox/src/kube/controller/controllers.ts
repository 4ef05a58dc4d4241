import type { SimClock, TimerKind } from '../clock.ts';
import { ApiError } from '../errors.ts';
import type { Registry } from '../registry.ts';
import { kinds, resourceKey } from '../resources.ts';
import type { StoreEvent } from '../store.ts';
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../types.ts';
import { syncDeployment } from './deployment.ts';
import { PodLifecycle, pendingStatus } from './pods.ts';
import { syncReplicaSet } from './replicaset.ts';

/** Maximum syncs per drain of the queue before it yields, so a bug that loops cannot block the server. */
const maxSyncsPerDrain = 5000;

type WorkKind = 'deployment' | 'replicaset' | 'pod';

/**
 * Runs the simulated controllers: the deployment controller, the
 * ReplicaSet controller and the pod lifecycle. Store changes queue the
 * affected objects; the queue drains on the next turn of the event loop,
 * so each sync reads a consistent store. Timers on the simulated clock
 * queue syncs that wait for time (readiness, minReadySeconds, deadlines).
 */
export class Controllers {
  private readonly registry: Registry;
  private readonly clock: SimClock;
  private readonly pods: PodLifecycle;
  private readonly queue = new Map<string, { kind: WorkKind; namespace: string; name: string }>();
  private readonly requeues = new Map<string, { due: number; cancel: () => void }>();
  private drainScheduled = false;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(registry: Registry, clock: SimClock) {
    this.registry = registry;
    this.clock = clock;
    this.pods = new PodLifecycle(registry, clock);
  }

  /** Subscribes to store changes and queues every existing Deployment and ReplicaSet once. */
  start(): void {
    this.unsubscribe = this.registry.store.subscribe((event) => this.observe(event));
    for (const deployment of this.registry.store.list(kinds.deployment)) this.enqueue('deployment', deployment);
    for (const rs of this.registry.store.list(kinds.replicaSet)) this.enqueue('replicaset', rs);
  }

  /** Stops reacting to changes and cancels every timer. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.clock.stop();
    this.queue.clear();
  }

  /** Resolves when the queue is empty and no timer of the awaited kinds is pending, twice in a row. */
  async settle(options: { includeProgressDeadlines?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const awaited: TimerKind[] = options.includeProgressDeadlines ? ['progress', 'deadline'] : ['progress'];
    const timeoutMs = options.timeoutMs ?? 30_000;
    const giveUpAt = Date.now() + timeoutMs;
    let quietChecks = 0;

    while (quietChecks < 2) {
      const busy = this.queue.size > 0 || this.drainScheduled || this.clock.pending(awaited) > 0;
      quietChecks = busy ? 0 : quietChecks + 1;
      if (Date.now() > giveUpAt) {
        throw new Error(`settle() timed out after ${timeoutMs} ms: ${this.queue.size} queued syncs and ${this.clock.pending(awaited)} pending timers remain`);
      }
      await new Promise((resolve) => setTimeout(resolve, busy ? 5 : 2));
    }
  }

  private observe(event: StoreEvent): void {
    const key = resourceKey(event.resource);
    if (key === resourceKey(kinds.deployment)) {
      if (event.type !== 'DELETED') this.enqueue('deployment', event.object);
    } else if (key === resourceKey(kinds.replicaSet)) {
      if (event.type !== 'DELETED') this.enqueue('replicaset', event.object);
      this.enqueueOwner(event.object, 'Deployment', 'deployment');
    } else if (key === resourceKey(kinds.pod)) {
      if (event.type === 'ADDED') this.enqueue('pod', event.object);
      this.enqueueOwner(event.object, 'ReplicaSet', 'replicaset');
    }
  }

  private enqueueOwner(object: KubeObject, ownerKind: string, work: WorkKind): void {
    const owner = object.metadata.ownerReferences?.find((reference) => reference.controller && reference.kind === ownerKind);
    if (owner) this.enqueue(work, { metadata: { namespace: object.metadata.namespace, name: owner.name } });
  }

  private enqueue(kind: WorkKind, object: KubeObject): void {
    if (this.stopped) return;
    const namespace = object.metadata.namespace ?? '';
    const name = object.metadata.name!;
    this.queue.set(`${kind}/${namespace}/${name}`, { kind, namespace, name });
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Queues a sync after a simulated delay, keeping only the earliest pending one per object and timer kind. */
  private requeueAfter(kind: WorkKind, namespace: string, name: string, delayMs: number, timerKind: TimerKind): void {
    const key = `${kind}/${namespace}/${name}/${timerKind}`;
    const due = this.clock.now() + delayMs / this.clock.timeScale;
    const existing = this.requeues.get(key);
    if (existing && existing.due <= due) return;
    existing?.cancel();

    const cancel = this.clock.schedule(delayMs, timerKind, () => {
      this.requeues.delete(key);
      this.enqueue(kind, { metadata: { namespace, name } });
    });
    this.requeues.set(key, { due, cancel });
  }

  private drain(): void {
    this.drainScheduled = false;
    let syncs = 0;
    while (this.queue.size > 0 && !this.stopped) {
      if (syncs >= maxSyncsPerDrain) {
        console.warn(`kube simulator: ${syncs} controller syncs in one turn; yielding with ${this.queue.size} still queued`);
        this.drainScheduled = true;
        setImmediate(() => this.drain());
        return;
      }
      const [key, work] = this.queue.entries().next().value!;
      this.queue.delete(key);
      syncs += 1;
      this.run(work);
    }
  }

  private run(work: { kind: WorkKind; namespace: string; name: string }): void {
    try {
      if (work.kind === 'deployment') this.syncDeployment(work.namespace, work.name);
      else if (work.kind === 'replicaset') this.syncReplicaSet(work.namespace, work.name);
      else this.initPod(work.namespace, work.name);
    } catch (error) {
      if (error instanceof ApiError && (error.reason === 'Conflict' || error.reason === 'NotFound' || error.reason === 'AlreadyExists')) {
        // Another writer changed the object first: sync again with fresh state, as the real controllers retry.
        this.requeueAfter(work.kind, work.namespace, work.name, 0, 'progress');
        return;
      }
      console.error(`kube simulator: ${work.kind} controller failed on ${work.namespace}/${work.name}:`, error);
    }
  }

  private syncDeployment(namespace: string, name: string): void {
    const deployment = this.registry.store.get(kinds.deployment, namespace, name) as Deployment | undefined;
    if (!deployment) return;
    syncDeployment({
      registry: this.registry,
      clock: this.clock,
      deployment,
      requeueAfter: (delayMs, timerKind) => this.requeueAfter('deployment', namespace, name, delayMs, timerKind),
    });
  }

  private syncReplicaSet(namespace: string, name: string): void {
    const rs = this.registry.store.get(kinds.replicaSet, namespace, name) as ReplicaSet | undefined;
    if (!rs) return;
    syncReplicaSet({ registry: this.registry, clock: this.clock, requeueAfter: (delayMs) => this.requeueAfter('replicaset', namespace, name, delayMs, 'progress') }, rs);
  }

  /** Gives a new pod its Pending status and starts its lifecycle; pods created with a status (seeded) are left alone. */
  private initPod(namespace: string, name: string): void {
    const pod = this.registry.store.get(kinds.pod, namespace, name) as Pod | undefined;
    if (!pod || pod.status?.phase) return;
    pod.status = pendingStatus(pod);
    const stored = this.registry.update(kinds.pod, namespace, name, pod, 'status') as Pod;
    this.pods.track(stored);
  }
}
