import type { Weights } from './weights.ts';

/**
 * Smooth weighted round robin (the algorithm of nginx's upstream module):
 * over any window of `sum(weights)` requests each backend gets exactly its
 * share, interleaved, so short test runs see the configured split instead
 * of a random approximation of it.
 */
export class WeightedPicker {
  private weights: Weights = {};
  private readonly current = new Map<string, number>();

  /** Replaces the weights; backends with weight 0 or below get no requests. */
  setWeights(weights: Weights): void {
    const changed = JSON.stringify(weights) !== JSON.stringify(this.weights);
    this.weights = { ...weights };
    if (changed) this.current.clear();
  }

  /** Returns the next backend, or undefined when no backend has a positive weight. */
  next(): string | undefined {
    const entries = Object.entries(this.weights).filter(([, weight]) => weight > 0);
    if (entries.length === 0) return undefined;

    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let best: string | undefined;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (const [name, weight] of entries) {
      const value = (this.current.get(name) ?? 0) + weight;
      this.current.set(name, value);
      if (value > bestValue) {
        best = name;
        bestValue = value;
      }
    }
    this.current.set(best!, bestValue - total);
    return best;
  }
}
