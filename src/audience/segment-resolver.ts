import type { AudienceIndex, AudiencePlan } from './audience-index.ts';
import { RoaringBitmap32, type Bitmap, type ReadonlyBitmap } from './bitmap.ts';

/**
 * Answers `segment:` references from the plans of saved segments, memoised for one `now` at a time (a
 * new `now` starts afresh). A cycle (rejected when saved, but never trusted) reads as empty.
 *
 * Example:
 * ```ts
 * const segments = new SegmentPlans(index);
 * segments.define(10, index.compile(rule10, binder, segments.resolve));
 * index.evaluate(index.compile(rule, binder, segments.resolve), now);
 * ```
 */
export class SegmentPlans {
  private readonly plans = new Map<number, AudiencePlan>();
  /** answers `index.evaluate` made for this object: owned here */
  private readonly memo = new Map<number, Bitmap>();
  private readonly busy = new Set<number>();
  private memoNow = NaN;

  constructor(private readonly index: AudienceIndex) {}

  /** Sets (or replaces) the plan of a segment; forgets every memoised answer. */
  define(segmentId: number, plan: AudiencePlan): void {
    this.plans.set(segmentId, plan);
    this.invalidate();
  }

  /** Forgets memoised answers: call after the index changes. */
  invalidate(): void {
    this.memo.clear();
    this.memoNow = NaN;
  }

  /**
   * The members of several saved segments at one `now`, each evaluated once however many of the others
   * refer to it (a batch: re-segmentation, an overlap); the memoised answers are disposed afterwards, so
   * that a batch holds no bitmaps once it returns (`use` must not keep them). Example: `segments.batch([10, 11], now, (m) => m.map((b) => b.size))`.
   */
  batch<T>(segmentIds: readonly number[], now: number, use: (members: ReadonlyBitmap[]) => T): T {
    try {
      return use(segmentIds.map((id) => this.resolve(id, now) ?? EMPTY));
    } finally {
      for (const members of this.memo.values()) members.dispose();
      this.invalidate();
    }
  }

  readonly resolve = (segmentId: number, now: number): ReadonlyBitmap | undefined => {
    if (now !== this.memoNow) {
      this.memo.clear();
      this.memoNow = now;
    }
    const known = this.memo.get(segmentId);
    if (known !== undefined) return known;
    const plan = this.plans.get(segmentId);
    if (plan === undefined || this.busy.has(segmentId)) return EMPTY;
    this.busy.add(segmentId);
    try {
      const members = this.index.evaluate(plan, now);
      this.memo.set(segmentId, members);
      return members;
    } finally {
      this.busy.delete(segmentId);
    }
  };
}

const EMPTY: ReadonlyBitmap = new RoaringBitmap32();
