import { parseDuration } from '@atom-actions/shared/duration';

/** The annotation that selects how the simulated pods of a template behave. */
export const behaviorAnnotation = 'sim.atom-actions.io/behavior';
/** The annotation with the simulated time a pod takes to become ready, such as `5s`. */
export const readyAfterAnnotation = 'sim.atom-actions.io/ready-after';
/** The annotation with the log lines every container of the pod writes, one per line. */
export const logAnnotation = 'sim.atom-actions.io/log';

/** The behaviour of a simulated pod. */
export type PodBehavior = 'ready' | 'never-ready' | 'crash-loop';

/** The behaviour a pod template selects through its annotations. */
export interface BehaviorSettings {
  behavior: PodBehavior;
  /** Simulated milliseconds from creation until the pod is ready. */
  readyAfterMs: number;
  logLines: string[];
}

const defaultReadyAfterMs = 1000;

/**
 * Reads the simulation annotations of a pod. An unknown behaviour or an
 * unparsable duration falls back to the default, so a typo shows up as a
 * pod that behaves normally rather than a failed request.
 */
export function behaviorOf(annotations: Record<string, string> | undefined): BehaviorSettings {
  const requested = annotations?.[behaviorAnnotation];
  const behavior: PodBehavior = requested === 'never-ready' || requested === 'crash-loop' ? requested : 'ready';
  const readyAfterMs = parseDuration(annotations?.[readyAfterAnnotation] ?? '') ?? defaultReadyAfterMs;
  const logText = annotations?.[logAnnotation] ?? '';
  const logLines = logText === '' ? [] : logText.replace(/\n$/, '').split('\n');
  return { behavior, readyAfterMs, logLines };
}
