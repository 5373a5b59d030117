import { mix32 } from '../core/demo-uid.ts';

// the hashes that name the data set's uids live with them in core; the generator draws from them too
export { hash2, mix32 } from '../core/demo-uid.ts';

/**
 * A small seeded pseudo-random number generator (sfc32, seeded through splitmix32), so that the demo data
 * set is the same on every run: never `Math.random`, never the clock.
 *
 * Example:
 * ```ts
 * const rng = new Prng(42);
 * rng.next(); // a number in [0, 1), the same on every run for seed 42
 * rng.int(6); // 0..5
 * ```
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const s = seed >>> 0;
    this.a = mix32((s + 0x9e3779b9) >>> 0);
    this.b = mix32((s + 0x3c6ef372) >>> 0);
    this.c = mix32((s + 0xdaa66d2b) >>> 0);
    this.d = mix32((s + 0x78dde6e4) >>> 0);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next 32-bit unsigned integer. Example: `rng.nextUint32()` -> 2873465912 */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A number in [0, 1). Example: `rng.next() < 0.2` is true one time in five. */
  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** An integer in [0, n). Example: `rng.int(10)` -> 0..9 */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. Example: `rng.range(20, 300)` */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. Example: `rng.chance(0.02)` */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. Example: `rng.pick(["a", "b"])` */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}
