import { unionOf, type Bitmap, type ReadonlyBitmap } from './bitmap.ts';

/** Unions kept per trait; the oldest is dropped past this many (window ranges move with the days). */
const PER_TRAIT = 8;

interface Union {
  first: number;
  last: number;
  bitmap: Bitmap;
}

/**
 * Memoised unions of a trait's day bitmaps over a range of days (a window's days wholly inside it),
 * dropped as soon as a day in their range changes. The days a window wholly covers are past days, which
 * change rarely: today's additions touch only the day the window cuts.
 *
 * Example:
 * ```ts
 * const unions = new DayUnions();
 * unions.of(7, [20_000, 20_001], (d) => dayBitmap(7, d)); // orMany once
 * unions.of(7, [20_000, 20_001], (d) => dayBitmap(7, d)); // the same bitmap
 * unions.changed(7, 20_001); // dropped
 * ```
 */
export class DayUnions {
  private readonly byTrait = new Map<number, Union[]>();

  /**
   * The union of `days`, which must be every day the trait holds from the smallest to the largest of
   * them; the caller must not change it.
   */
  of(traitId: number, days: readonly number[], bitmapOf: (day: number) => ReadonlyBitmap): ReadonlyBitmap {
    if (days.length < 2) return unionOf(days.map(bitmapOf));
    let first = Infinity;
    let last = -Infinity;
    for (const d of days) {
      if (d < first) first = d;
      if (d > last) last = d;
    }
    let unions = this.byTrait.get(traitId);
    const known = unions?.find((u) => u.first === first && u.last === last);
    if (known !== undefined) return known.bitmap;
    const bitmap = unionOf(days.map(bitmapOf));
    if (unions === undefined) this.byTrait.set(traitId, (unions = []));
    if (unions.length >= PER_TRAIT) unions.shift();
    unions.push({ first, last, bitmap });
    return bitmap;
  }

  /** Day `day` of the trait changed: drops the unions over it. */
  changed(traitId: number, day: number): void {
    const unions = this.byTrait.get(traitId);
    if (unions === undefined) return;
    const kept = unions.filter((u) => day < u.first || day > u.last);
    if (kept.length === 0) this.byTrait.delete(traitId);
    else if (kept.length !== unions.length) this.byTrait.set(traitId, kept);
  }

  /** Drops the trait's unions, or every union. */
  clear(traitId?: number): void {
    if (traitId === undefined) this.byTrait.clear();
    else this.byTrait.delete(traitId);
  }
}
