import { DAY_MS } from '../core/clock.ts';
import type { ProfileColumnsView } from '../profiles/profile-store.ts';
import { grown, nextCapacity } from '../profiles/typed-arrays.ts';
import {
  RoaringBitmap32,
  bitmapOfSorted,
  orAndDispose,
  toArrayAndDispose,
  unionOf,
  type Bitmap,
  type ReadonlyBitmap,
} from './bitmap.ts';
import { bitmapsByKey, moveKeyed } from './bitmaps-by-key.ts';
import type { ScanRange } from './fast-scan-test.ts';
import type { ScanPath } from './plan-node.ts';

const PATHS: readonly ScanPath[] = ['visits', 'pageviews', 'first_seen', 'last_seen'];
/** Counts (visits, page views) from this one up share a bucket, whose members are checked one by one. */
export const COUNT_TOP = 1024;
/** `held` values: 0 none; 1 + bucket; `OTHER` a value no bucket holds exactly (a day before 1970...) */
const OTHER = 0xffff;
/** A scan of the candidates beats the buckets' union when the union would hold this many times more. */
const SCAN_SHARE = 4;

/**
 * Per numeric column of the profile store (visits, page views, first seen, last seen), a bitmap per
 * bucket of the profiles whose value falls in it: the count itself below `COUNT_TOP` (one bucket for
 * all above), the UTC day for times. An interval test (`visits >= 3`, `last_seen within 30d`) is then
 * the union of the buckets wholly inside it, plus the members of the one or two buckets it cuts checked
 * against the column. A copy of each profile's bucket is kept (2 bytes a column) so a change moves it out
 * of the old bucket without searching. Profiles without a time (never seen) are in no time bucket.
 *
 * Example:
 * ```ts
 * buckets.set(p, view); // after the store changed p
 * buckets.members('visits', { low: 3, lowIn: true, high: Infinity, highIn: false }, live, view);
 * ```
 */
export class ColumnBuckets {
  private readonly byPath: Map<number, Bitmap>[] = PATHS.map(() => new Map<number, Bitmap>());
  private held: Uint16Array[] = PATHS.map(() => new Uint16Array(0));

  /** Moves `p` to the buckets of its current values in the store. */
  set(p: number, view: ProfileColumnsView): void {
    this.ensure(p + 1);
    this.move(0, p, countBucket(view.visits[p] ?? 0));
    this.move(1, p, countBucket(view.pageviews[p] ?? 0));
    this.move(2, p, dayBucket(view.firstSeen[p] ?? NaN));
    this.move(3, p, dayBucket(view.lastSeen[p] ?? NaN));
  }

  /** Takes `p` out of every bucket. */
  clear(p: number): void {
    if (p >= (this.held[0]?.length ?? 0)) return;
    for (let c = 0; c < PATHS.length; c++) this.move(c, p, 0);
  }

  /** Rebuilds every bucket from the store's live profiles. */
  build(view: ProfileColumnsView): void {
    const n = view.highWater;
    this.held = PATHS.map(() => new Uint16Array(nextCapacity(0, n)));
    for (let c = 0; c < PATHS.length; c++) {
      const held = this.held[c] as Uint16Array;
      for (let p = 0; p < n; p++) if (view.live[p] === 1) held[p] = heldOf(c, p, view);
      this.byPath[c] = bitmapsByKey(held, n);
    }
  }

  /**
   * The profiles of `universe` whose value of `path` lies in `r`, from the buckets; undefined when a
   * scan of `universe` is cheaper (its members are few against the buckets' union).
   */
  members(
    path: ScanPath,
    r: ScanRange,
    universe: ReadonlyBitmap,
    view: ProfileColumnsView,
  ): Bitmap | undefined {
    const c = PATHS.indexOf(path);
    const whole: ReadonlyBitmap[] = [];
    const cut: ReadonlyBitmap[] = [];
    let wholeSize = 0;
    for (const [h, bitmap] of this.byPath[c] as Map<number, Bitmap>) {
      // the bucket's values v: low <= v < end, and v <= max (counts are whole numbers)
      const [low, end, max] = h === OTHER ? [-Infinity, Infinity, Infinity] : interval(c, h - 1);
      if (end <= r.low || (r.highIn ? low > r.high : low >= r.high)) continue;
      const inside =
        h !== OTHER &&
        (r.lowIn ? low >= r.low : low > r.low) &&
        (end <= r.high || (r.highIn ? max <= r.high : max < r.high));
      if (inside) {
        whole.push(bitmap);
        wholeSize += bitmap.size;
      } else cut.push(bitmap);
    }
    if (wholeSize > universe.size * SCAN_SHARE) return undefined;
    const union = whole.length === 1 ? undefined : unionOf(whole);
    const members = RoaringBitmap32.and(union ?? (whole[0] as ReadonlyBitmap), universe);
    union?.dispose();
    const column = columnOf(path, view);
    const { low, lowIn, high, highIn } = r;
    for (const bitmap of cut) {
      const candidates = toArrayAndDispose(RoaringBitmap32.and(bitmap, universe));
      let n = 0;
      for (let i = 0; i < candidates.length; i++) {
        const p = candidates[i] as number;
        const v = column[p] as number;
        if ((lowIn ? v >= low : v > low) && (highIn ? v <= high : v < high)) candidates[n++] = p;
      }
      if (n > 0) orAndDispose(members, bitmapOfSorted(candidates, n));
    }
    return members;
  }

  private move(c: number, p: number, h: number): void {
    moveKeyed(this.byPath[c] as Map<number, Bitmap>, this.held[c] as Uint16Array, p, h);
  }

  private ensure(capacity: number): void {
    const length = this.held[0]?.length ?? 0;
    if (capacity <= length) return;
    const next = nextCapacity(length, capacity);
    this.held = this.held.map((column) => grown(column, next));
  }
}

/** A scanned column by rule path. */
export function columnOf(path: ScanPath, view: ProfileColumnsView): ArrayLike<number> {
  if (path === 'visits' || path === 'pageviews') return view[path];
  return path === 'first_seen' ? view.firstSeen : view.lastSeen;
}

function heldOf(c: number, p: number, view: ProfileColumnsView): number {
  if (c === 0) return countBucket(view.visits[p] ?? 0);
  if (c === 1) return countBucket(view.pageviews[p] ?? 0);
  return dayBucket((c === 2 ? view.firstSeen[p] : view.lastSeen[p]) ?? NaN);
}

function countBucket(v: number): number {
  return 1 + Math.min(v, COUNT_TOP);
}

function dayBucket(t: number): number {
  if (Number.isNaN(t)) return 0;
  const day = Math.floor(t / DAY_MS);
  return day >= 0 && day < OTHER - 1 ? day + 1 : OTHER;
}

/** The values bucket `b` of column `c` holds: from `low` (in) to `end` (out), none above `max`. */
function interval(c: number, b: number): [low: number, end: number, max: number] {
  if (c < 2) return b === COUNT_TOP ? [COUNT_TOP, Infinity, Infinity] : [b, b + 1, b];
  return [b * DAY_MS, (b + 1) * DAY_MS, (b + 1) * DAY_MS];
}
