import { RoaringBitmap32, unionOf, type Bitmap, type ReadonlyBitmap } from './bitmap.ts';
import { combineSliced } from './sliced-counts.ts';

/** The memoised counts of every trait together stay under this many bytes of bitmaps (oldest use dropped first). */
export const SLICES_BYTES = 512 * 2 ** 20;
/** Ranges are joined from aligned blocks of this many days (`joined`). */
export const BLOCK_DAYS = 7;
/** Ranges kept per trait (window ranges move with the days); the oldest is dropped past this. */
const PER_TRAIT = 32;

interface Slices {
  traitId: number;
  first: number;
  last: number;
  /** `atLeast[j]`: the profiles counted at least j + 1 times over the range */
  atLeast: readonly ReadonlyBitmap[];
  bytes: number;
}

/**
 * Memoised saturating counts of a trait over a range of its days, over the whole population: for j = 1..k,
 * the profiles holding at least j realisations of the trait on those days (`sliced-counts.ts` makes
 * them). An entry made for k answers any smaller k. Dropped as soon as a day in its range changes; the
 * least recently used go first past `budget` bytes. The ranges asked are a window's inside days without
 * its last one, so today's additions, which touch only the latest day, keep them.
 *
 * Example:
 * ```ts
 * const slices = new DaySlices();
 * slices.of(7, [20_000, 20_001], 2, (days, k) => slicedCounts(days, k, data)); // computed
 * slices.of(7, [20_000, 20_001], 1, (days, k) => slicedCounts(days, k, data)); // the same entry
 * slices.changed(7, 20_001); // dropped
 * ```
 */
export class DaySlices {
  private readonly byTrait = new Map<number, Slices[]>();
  /** every entry, least recently used first */
  private readonly order = new Set<Slices>();
  private bytes = 0;
  /** entries made, and dropped to stay under the budget, since the start (for the measurements) */
  private made = 0;
  private evicted = 0;

  constructor(private readonly budget = SLICES_BYTES) {}

  /** What is held and how often entries were made and evicted. Example: `{ bytes: 3e8, made: 900, evicted: 12 }`. */
  stats(): { bytes: number; made: number; evicted: number } {
    return { bytes: this.bytes, made: this.made, evicted: this.evicted };
  }

  /**
   * `atLeast[j]` for j < k over `days` (every day the trait holds from the smallest to the largest of
   * them); the caller must not change them.
   */
  of(
    traitId: number,
    days: readonly number[],
    k: number,
    compute: (days: readonly number[], k: number) => ReadonlyBitmap[],
  ): readonly ReadonlyBitmap[] {
    const [first, last] = spanOf(days);
    const entries = this.byTrait.get(traitId);
    const known = entries?.find((e) => e.first === first && e.last === last);
    if (known !== undefined && known.atLeast.length >= k) {
      this.order.delete(known);
      this.order.add(known);
      return known.atLeast;
    }
    if (known !== undefined) this.drop(known);
    const atLeast = compute(days, k);
    this.made++;
    let bytes = 0;
    for (const b of atLeast) bytes += b.getSerializationSizeInBytes('portable');
    if (bytes > this.budget) return atLeast;
    const entry: Slices = { traitId, first, last, atLeast, bytes };
    const list = this.byTrait.get(traitId) ?? [];
    if (list.length >= PER_TRAIT) this.drop(list[0] as Slices);
    this.byTrait.set(traitId, [...(this.byTrait.get(traitId) ?? []), entry]);
    this.order.add(entry);
    this.bytes += bytes;
    for (const oldest of this.order) {
      if (this.bytes <= this.budget) break;
      this.drop(oldest);
      this.evicted++;
    }
    return atLeast;
  }

  /**
   * As `of`, and on a miss the range is joined from the aligned blocks of `BLOCK_DAYS` days it holds whole
   * (each memoised on its own, shared by every range over it: windows of other lengths, the same window
   * on later days) and the days left over; `count` counts a list of days directly.
   */
  joined(
    traitId: number,
    days: readonly number[],
    k: number,
    count: (days: readonly number[], k: number) => Bitmap[],
  ): readonly ReadonlyBitmap[] {
    return this.of(traitId, days, k, (d, n) => {
      if (d.length <= BLOCK_DAYS) return count(d, n);
      const [first, last] = spanOf(d);
      const blocks = new Map<number, number[]>();
      const loose: number[] = [];
      for (const day of d) {
        const start = day - (((day % BLOCK_DAYS) + BLOCK_DAYS) % BLOCK_DAYS);
        if (start < first || start + BLOCK_DAYS - 1 > last) loose.push(day);
        else blocks.set(start, [...(blocks.get(start) ?? []), day]);
      }
      const counts = [...blocks.values()].map((block) => this.of(traitId, block, n, count));
      const rest = count(loose, n);
      if (n === 1) {
        const union = unionOf([...counts.map((c) => c[0] ?? NONE), ...rest]);
        for (const b of rest) b.dispose();
        return [union];
      }
      let total = rest;
      for (const c of counts) {
        const next = combineSliced(total, c, n);
        for (const b of total) b.dispose();
        total = next;
      }
      return total;
    });
  }

  /** Day `day` of the trait changed: drops the entries over it. */
  changed(traitId: number, day: number): void {
    const entries = this.byTrait.get(traitId);
    if (entries === undefined) return;
    for (const e of entries) if (day >= e.first && day <= e.last) this.drop(e);
  }

  /** Drops the trait's entries, or every entry. */
  clear(traitId?: number): void {
    for (const e of [...this.order]) if (traitId === undefined || e.traitId === traitId) this.drop(e);
  }

  private drop(entry: Slices): void {
    if (!this.order.delete(entry)) return;
    this.bytes -= entry.bytes;
    const kept = (this.byTrait.get(entry.traitId) ?? []).filter((e) => e !== entry);
    if (kept.length === 0) this.byTrait.delete(entry.traitId);
    else this.byTrait.set(entry.traitId, kept);
  }
}

const NONE: ReadonlyBitmap = new RoaringBitmap32();

/** The first and last of some days. */
function spanOf(days: readonly number[]): [first: number, last: number] {
  let first = Infinity;
  let last = -Infinity;
  for (const d of days) {
    if (d < first) first = d;
    if (d > last) last = d;
  }
  return [first, last];
}
