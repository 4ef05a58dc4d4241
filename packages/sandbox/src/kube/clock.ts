/**
 * The purpose of a scheduled timer, so settle() can tell which to wait for:
 * `progress` (a pod becoming ready or available), `deadline` (a progress
 * deadline check) and `background` (crash-loop restarts, which never end).
 */
export type TimerKind = 'progress' | 'deadline' | 'background';

/**
 * The simulated clock. Delays are given in simulated milliseconds and run
 * `timeScale` times faster in real time. Timestamps written to objects use
 * the real wall clock, so the precise real time of steps that matter for
 * delays (a pod turning ready, a condition update) is kept in `marks`.
 */
export class SimClock {
  readonly timeScale: number;
  private readonly timers = new Map<NodeJS.Timeout, TimerKind>();
  private readonly marks = new Map<string, number>();
  private stopped = false;

  constructor(timeScale: number) {
    this.timeScale = timeScale;
  }

  /** Returns the real time in milliseconds. */
  now(): number {
    return Date.now();
  }

  /** Returns how many simulated milliseconds have passed since a real time. */
  simulatedSince(realTime: number): number {
    return (this.now() - realTime) * this.timeScale;
  }

  /** Runs a function after a simulated delay; returns a function that cancels it. */
  schedule(simulatedDelayMs: number, kind: TimerKind, run: () => void): () => void {
    if (this.stopped) return () => {};
    const realDelay = Math.max(0, simulatedDelayMs / this.timeScale);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) run();
    }, Math.ceil(realDelay));
    timer.unref();
    this.timers.set(timer, kind);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Returns the number of pending timers of the given kinds. */
  pending(kinds: readonly TimerKind[]): number {
    let count = 0;
    for (const kind of this.timers.values()) if (kinds.includes(kind)) count += 1;
    return count;
  }

  /** Records the precise real time of a step under a key, such as `<uid>/ready`. */
  mark(key: string, realTime: number = this.now()): void {
    this.marks.set(key, realTime);
  }

  /** Returns the precise real time recorded under a key, or the fallback (usually a parsed timestamp). */
  markOr(key: string, fallback: number | undefined): number | undefined {
    return this.marks.get(key) ?? fallback;
  }

  /** Cancels every timer; later schedule() calls do nothing. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.keys()) clearTimeout(timer);
    this.timers.clear();
  }
}
