import { behaviorOf } from '../behavior.ts';
import type { SimClock } from '../clock.ts';
import type { Registry } from '../registry.ts';
import { kinds } from '../resources.ts';
import { formatTime } from '../time.ts';
import type { ContainerStatus, Pod } from '../types.ts';

/** Simulated milliseconds from pod creation until its containers run, unless ready-after is shorter. */
const startDelayMs = 500;
/** Simulated milliseconds a crash-looping container runs before it exits. */
const crashAfterMs = 1000;
/** The kubelet's crash-loop back-off: 10 s doubling up to 5 minutes. */
const backOffBaseMs = 10_000;
const backOffMaxMs = 300_000;

/** The node every simulated pod runs on. */
export const nodeName = 'atom-sim-node';

let nextPodIp = 1;

/**
 * Moves simulated pods through their lifecycle on the simulated clock, as
 * their `sim.atom-actions.io/behavior` annotation selects: `ready` pods run
 * and turn ready after ready-after; `never-ready` pods run but never pass
 * readiness; `crash-loop` pods exit with code 1 and restart with the
 * kubelet's back-off, their restart count rising and their waiting reason
 * CrashLoopBackOff.
 */
export class PodLifecycle {
  private readonly registry: Registry;
  private readonly clock: SimClock;

  constructor(registry: Registry, clock: SimClock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Starts the lifecycle of a newly created pod. */
  track(pod: Pod): void {
    const settings = behaviorOf(pod.metadata.annotations);
    const startAfter = Math.min(startDelayMs, settings.readyAfterMs);
    const started = this.clock.now();
    this.clock.schedule(startAfter, 'progress', () => {
      this.update(pod, (current) => startContainers(current));
      if (settings.behavior === 'ready') {
        const remaining = Math.max(0, settings.readyAfterMs - this.clock.simulatedSince(started));
        this.clock.schedule(remaining, 'progress', () => this.markReady(pod));
      }
      if (settings.behavior === 'crash-loop') this.clock.schedule(crashAfterMs, 'background', () => this.crash(pod, 0));
    });
  }

  private markReady(pod: Pod): void {
    const updated = this.update(pod, (current) => setReady(current, true));
    if (updated) this.clock.mark(`${pod.metadata.uid}/ready`);
  }

  private crash(pod: Pod, restarts: number): void {
    const updated = this.update(pod, (current) => crashContainers(current, restarts + 1, backOff(restarts)));
    if (!updated) return;
    this.clock.schedule(backOff(restarts), 'background', () => {
      const restarted = this.update(pod, (current) => startContainers(current));
      if (restarted) this.clock.schedule(crashAfterMs, 'background', () => this.crash(pod, restarts + 1));
    });
  }

  /** Applies a status change to the stored pod; returns false when the pod no longer exists. */
  private update(pod: Pod, change: (current: Pod) => void): boolean {
    const current = this.registry.store.get(kinds.pod, pod.metadata.namespace, pod.metadata.name!) as Pod | undefined;
    if (!current || current.metadata.uid !== pod.metadata.uid) return false;
    change(current);
    this.registry.update(kinds.pod, current.metadata.namespace, current.metadata.name!, current, 'status');
    return true;
  }
}

function backOff(restarts: number): number {
  return Math.min(backOffBaseMs * 2 ** restarts, backOffMaxMs);
}

/** Builds the status of a pod that was just scheduled: Pending, containers being created. */
export function pendingStatus(pod: Pod): NonNullable<Pod['status']> {
  const now = formatTime();
  return {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }],
    hostIP: '10.0.0.10',
    hostIPs: [{ ip: '10.0.0.10' }],
    startTime: now,
    qosClass: 'BestEffort',
    containerStatuses: pod.spec.containers.map((container) => ({
      name: container.name,
      image: container.image ?? '',
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
    })),
  };
}

function startContainers(pod: Pod): void {
  const now = formatTime();
  const status = pod.status!;
  status.phase = 'Running';
  if (!status.podIP) {
    nextPodIp += 1;
    status.podIP = `10.244.${Math.floor(nextPodIp / 250)}.${(nextPodIp % 250) + 1}`;
    status.podIPs = [{ ip: status.podIP }];
  }
  for (const container of status.containerStatuses ?? []) {
    container.state = { running: { startedAt: now } };
    container.started = true;
    container.ready = false;
    container.imageID = `docker.io/library/${container.image}@sha256:${'0'.repeat(64)}`;
    container.containerID = `containerd://${Buffer.from(`${pod.metadata.uid}/${container.name}/${container.restartCount}`).toString('hex').slice(0, 64)}`;
  }
  setConditions(pod, false);
}

function setReady(pod: Pod, ready: boolean): void {
  for (const container of pod.status?.containerStatuses ?? []) container.ready = ready;
  setConditions(pod, ready);
}

function crashContainers(pod: Pod, restartCount: number, backOffMs: number): void {
  const now = formatTime();
  for (const container of pod.status?.containerStatuses ?? []) {
    const running = container.state.running as { startedAt?: string } | undefined;
    container.lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: running?.startedAt ?? now, finishedAt: now, containerID: container.containerID } };
    container.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${Math.round(backOffMs / 1000)}s restarting failed container=${container.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      },
    };
    container.ready = false;
    container.started = false;
    container.restartCount = restartCount;
  }
  setConditions(pod, false);
}

function setConditions(pod: Pod, ready: boolean): void {
  const now = formatTime();
  const status = pod.status!;
  const previous = new Map((status.conditions ?? []).map((condition) => [condition.type, condition]));
  const condition = (type: string, value: boolean, reason?: string) => {
    const text = value ? 'True' : 'False';
    const old = previous.get(type);
    const entry: NonNullable<Pod['status']>['conditions'] extends (infer C)[] | undefined ? C : never = {
      type,
      status: text,
      lastProbeTime: null,
      lastTransitionTime: old?.status === text ? old.lastTransitionTime : now,
    };
    if (!value && reason) {
      entry.reason = reason;
      const names = (status.containerStatuses ?? []).filter((container: ContainerStatus) => !container.ready).map((container) => container.name);
      entry.message = `containers with unready status: [${names.join(' ')}]`;
    }
    return entry;
  };
  status.conditions = [
    condition('PodReadyToStartContainers', true),
    condition('Initialized', true),
    condition('Ready', ready, 'ContainersNotReady'),
    condition('ContainersReady', ready, 'ContainersNotReady'),
    condition('PodScheduled', true),
  ];
}
