/** The longest buffer `settleFor` searches for a profile (a longer one is handed over). */
const SEARCHED = 64;

/** The profiles buffered for one trait, all on one UTC day. */
interface DayBuffer {
  traitId: number;
  day: number;
  profiles: Uint32Array;
  n: number;
  queued: boolean;
}

/**
 * Per trait, the profiles that realised it on its current day and are not yet in the bitmaps: a native
 * call per realisation costs more than the insertion, so additions are handed over in batches, one per
 * (trait, day), a profile once per realisation (the index counts them). Events come mostly in time
 * order: a trait whose day changes hands over its batch at once.
 *
 * Example:
 * ```ts
 * const buffers = new DayBuffers((traitId, day, profiles) => bitmapOf(traitId, day).addMany(profiles));
 * buffers.add(3, 7, 20_000); // buffered
 * buffers.flush(); // the callback gets (7, 20_000, [3])
 * ```
 */
export class DayBuffers {
  private readonly byTrait = new Map<number, DayBuffer>();
  private readonly queue: DayBuffer[] = [];
  private count = 0;

  /** `apply` receives a view of the buffer: it may reorder it, and must not keep it. */
  constructor(
    private readonly apply: (traitId: number, day: number, profiles: Uint32Array) => void,
    private readonly limit = 1 << 18,
  ) {}

  /** Buffers `p` realising the trait on `day`; hands everything over when `limit` additions are held. */
  add(p: number, traitId: number, day: number): void {
    let b = this.byTrait.get(traitId);
    if (b === undefined) {
      b = { traitId, day, profiles: new Uint32Array(16), n: 0, queued: false };
      this.byTrait.set(traitId, b);
    }
    // every addition is kept, repeats too: the index counts realisations per (trait, day, profile)
    if (b.n > 0 && b.day !== day) this.handOver(b);
    if (b.n === 0) b.day = day;
    if (!b.queued) {
      b.queued = true;
      this.queue.push(b);
    }
    if (b.n === b.profiles.length) {
      const bigger = new Uint32Array(b.n * 2);
      bigger.set(b.profiles);
      b.profiles = bigger;
    }
    b.profiles[b.n++] = p;
    if (++this.count >= this.limit) this.flush();
  }

  /** Hands every buffered addition over. */
  flush(): void {
    for (const b of this.queue) {
      if (b.n > 0) this.handOver(b);
      b.queued = false;
    }
    this.queue.length = 0;
    this.count = 0;
  }

  /**
   * Before `p` loses every realisation of the trait: its buffered additions of the trait are dropped,
   * so the bitmaps never get them; a buffer longer than `SEARCHED` is handed over instead (a search per
   * removal would cost more than the batch), and the caller then removes `p` from the bitmaps as usual.
   */
  settleFor(p: number, traitId: number): void {
    const b = this.byTrait.get(traitId);
    if (b === undefined || b.n === 0) return;
    if (b.n > SEARCHED) {
      this.handOver(b);
      return;
    }
    let kept = 0;
    for (let i = 0; i < b.n; i++) {
      const q = b.profiles[i] as number;
      if (q !== p) b.profiles[kept++] = q;
    }
    this.count -= b.n - kept;
    b.n = kept;
  }

  /** Drops everything buffered. */
  clear(): void {
    for (const b of this.queue) {
      b.n = 0;
      b.queued = false;
    }
    this.queue.length = 0;
    this.count = 0;
  }

  private handOver(b: DayBuffer): void {
    const n = b.n;
    b.n = 0;
    this.apply(b.traitId, b.day, b.profiles.subarray(0, n));
  }
}
