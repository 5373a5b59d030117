import type { Prng } from './prng.ts';

/**
 * A geometric count on 1, 2, 3, ... with the given mean, capped at `max`.
 * Example: `geometric(rng, 3, 200)` -> 1 most often, 3 on average.
 */
export function geometric(rng: Prng, mean: number, max: number): number {
  const p = 1 / mean;
  const u = 1 - rng.next(); // (0, 1]
  const k = 1 + Math.floor(Math.log(u) / Math.log(1 - p));
  return Math.min(k, max);
}

/**
 * Draws indices in proportion to fixed weights, by binary search over the cumulative weights.
 * Example: `new WeightedPicker([45, 45, 8, 2]).draw(rng)` -> 0 or 1 most of the time.
 */
export class WeightedPicker {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  /** An index in [0, weights.length). */
  draw(rng: Prng): number {
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * Zipf weights `1 / rank^s` for ranks 1..n, ready for a `WeightedPicker`.
 * Example: `new WeightedPicker(zipfWeights(10_000, 1.1))` draws rank 0 about 15% of the time.
 */
export function zipfWeights(n: number, s: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));
}
