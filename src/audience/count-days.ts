import { RoaringBitmap32, toArrayAndDispose, type ReadonlyBitmap } from './bitmap.ts';
import { LEVELS, type DayLevels } from './day-levels.ts';

/** A trait's day bitmaps and their count levels, by day number. */
export interface DaysAndLevels {
  days: ReadonlyMap<number, ReadonlyBitmap> | undefined;
  levels: ReadonlyMap<number, DayLevels> | undefined;
}

/** In a count: the low bits are only a lower bound (a day saturated its levels, or the sum its bits). */
export const AT_LEAST = 0x8000;
const SUM = 0x7fff;
/** per profile index, the running count of the current call; all zero between calls */
let scratch = new Uint16Array(0);

/**
 * Per candidate (ascending), how many realisations of a trait it holds on the `inside` days (each day: 1,
 * plus 1 per count level it is in) plus `cutCount(day)(p)` on each `cut` day it is in (asked once a day, then for its candidates in ascending order). When a day of it
 * saturates the levels, the count is only a lower bound and carries `AT_LEAST`. Every candidate must be
 * in one of the days; `whole`: every member of the days is a candidate (no intersection needed).
 *
 * Example: `windowCounts(candidates, false, [20_000, 20_001], [19_999], data, () => () => 1)` ->
 * `{ profiles: [3, 8], counts: [2, AT_LEAST | 8] }`.
 */
export function windowCounts(
  candidates: ReadonlyBitmap,
  whole: boolean,
  inside: readonly number[],
  cut: readonly number[],
  data: DaysAndLevels,
  cutCount: (day: number) => (p: number) => number,
): { profiles: Uint32Array; counts: Int32Array } {
  const profiles = candidates.toUint32Array();
  const counts = new Int32Array(profiles.length);
  if (profiles.length === 0) return { profiles, counts };
  const top = (profiles[profiles.length - 1] as number) + 1;
  if (scratch.length < top) scratch = new Uint16Array(Math.max(top, scratch.length * 2));
  const s = scratch;
  const add = (p: number, n: number): void => {
    const c = s[p] as number;
    const sum = (c & SUM) + n;
    s[p] = sum >= SUM ? AT_LEAST | SUM : (c & AT_LEAST) | sum;
  };
  try {
    for (const day of inside) {
      const bitmap = data.days?.get(day);
      if (bitmap === undefined) continue;
      for (const p of within(bitmap, candidates)) add(p, 1);
      const levels = data.levels?.get(day);
      if (levels === undefined) continue;
      for (let k = 0; k < levels.length; k++) {
        const level = levels[k];
        if (level === undefined) continue;
        const last = k === LEVELS - 1;
        for (const p of within(level, candidates)) {
          add(p, 1);
          if (last) s[p] = (s[p] as number) | AT_LEAST;
        }
      }
    }
    for (const day of cut) {
      const bitmap = data.days?.get(day);
      if (bitmap === undefined) continue;
      const count = cutCount(day);
      for (const p of within(bitmap, candidates)) add(p, count(p));
    }
    for (let i = 0; i < profiles.length; i++) {
      counts[i] = s[profiles[i] as number] as number;
    }
  } finally {
    for (let i = 0; i < profiles.length; i++) s[profiles[i] as number] = 0;
  }
  return { profiles, counts };

  /** The members of `a` that are candidates, ascending. */
  function within(a: ReadonlyBitmap, b: ReadonlyBitmap): Uint32Array {
    return whole ? a.toUint32Array() : toArrayAndDispose(RoaringBitmap32.and(a, b));
  }
}
