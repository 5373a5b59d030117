import type { CmpOp } from '../core/rules/index.ts';
import { RoaringBitmap32, bitmapOfSorted, type Bitmap, type ReadonlyBitmap } from './bitmap.ts';
import type { DaysAndLevels } from './count-days.ts';

/** Count thresholds up to this are answered by bitmap arithmetic (`atLeastMembers`): k - 1 `and`s a unit. */
export const SLICED_MAX = 4;

/**
 * The least count that passes when every count test is `>=` or `>` (so every larger count passes too),
 * else undefined. Example: `leastPassingCount([{ op: '>=', value: 2 }, { op: '>', value: 2 }])` -> `3`.
 */
export function leastPassingCount(counts: readonly { op: CmpOp; value: number }[]): number | undefined {
  let k = 0;
  for (const c of counts) {
    if (c.op === '>=') k = Math.max(k, Math.ceil(c.value));
    else if (c.op === '>') k = Math.max(k, Math.floor(c.value) + 1);
    else return undefined;
  }
  return k;
}

/**
 * The profiles of `universe` with at least `k` realisations of a trait in a window (1 <= k <=
 * `SLICED_MAX`), by bitmap arithmetic instead of a count per candidate: each unit (an inside day's
 * bitmap, each of its first k - 1 count levels, and on a cut day the profiles counted there at least 1,
 * 2, ... k times) adds one to its members, and `seen[j]` holds the profiles counted at least j + 1 so
 * far (`seen[j] |= seen[j - 1] & unit`, from the top). A day's count past its levels is a lower bound of
 * at least `LEVELS + 1` > k, so the answer is exact. `cutCount(day)` counts a cut day's profiles, asked
 * in ascending order, as `windowCounts` asks it.
 *
 * Example: `atLeastMembers(2, [20_000, 20_001], [], data, () => () => 0, live)`: the profiles seen on
 * both days, or twice on one.
 */
export function atLeastMembers(
  k: number,
  inside: readonly number[],
  cut: readonly number[],
  data: DaysAndLevels,
  cutCount: (day: number) => (p: number) => number,
  universe: ReadonlyBitmap,
): Bitmap {
  const seen: Bitmap[] = [];
  for (let j = 0; j < k; j++) seen.push(new RoaringBitmap32());
  const add = (unit: ReadonlyBitmap): void => {
    for (let j = k - 1; j >= 1; j--) {
      const below = seen[j - 1] as Bitmap;
      if (!below.isEmpty) (seen[j] as Bitmap).orInPlace(RoaringBitmap32.and(below, unit));
    }
    (seen[0] as Bitmap).orInPlace(unit);
  };
  for (const day of inside) {
    const bitmap = data.days?.get(day);
    if (bitmap === undefined) continue;
    add(bitmap);
    const levels = data.levels?.get(day);
    for (let level = 0; level < k - 1 && levels !== undefined && level < levels.length; level++) {
      const members = levels[level];
      if (members !== undefined) add(members);
    }
  }
  for (const day of cut) {
    const bitmap = data.days?.get(day);
    if (bitmap === undefined) continue;
    const candidates = RoaringBitmap32.and(bitmap, universe).toUint32Array();
    const count = cutCount(day);
    // atLeast[c - 1]: the candidates counted there at least c times (c = 1..k), ascending
    const atLeast = Array.from({ length: k }, () => new Uint32Array(candidates.length));
    const filled = new Uint32Array(k);
    for (const p of candidates) {
      const c = Math.min(k, count(p));
      for (let i = 0; i < c; i++) (atLeast[i] as Uint32Array)[filled[i]!++] = p;
    }
    for (let i = 0; i < k; i++) add(bitmapOfSorted(atLeast[i] as Uint32Array, filled[i] as number));
  }
  return RoaringBitmap32.and(seen[k - 1] as Bitmap, universe);
}
