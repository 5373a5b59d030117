import { RoaringBitmap32, type Bitmap, type ReadonlyBitmap } from './bitmap.ts';

/**
 * How many count levels a (trait, day) keeps beyond its day bitmap: `levels[k]` holds the profiles with
 * at least `k + 2` realisations of the trait that day, so counts up to `LEVELS + 1` are known exactly;
 * a profile in the last level ("saturated") has at least `LEVELS + 1`, and is counted in the store.
 */
export const LEVELS = 6;

/** The largest batch `raise` adds one profile at a time (`add`) rather than level by level (`addMany`). */
const ONE_BY_ONE = 64;

/** The count levels of one (trait, day); `undefined` entries are empty. Example: `[{3, 9}, {9}]`. */
export type DayLevels = (Bitmap | undefined)[];

/** The arrays `runs` answers in, reused from call to call (grown as needed). */
let scratchUnique = new Uint32Array(256);
let scratchTimes = new Uint32Array(256);

/**
 * Sorts a batch of additions (one entry per realisation) in place and returns its distinct profiles
 * with how many times each came, as views of arrays the next call reuses: read them before calling
 * again, keep a copy if they must last (a batch per (trait, day) is made thousands of times a second,
 * and two fresh typed arrays each time cost more than the sort).
 * Example: `runs(new Uint32Array([5, 2, 5]))` -> `{ unique: [2, 5], times: [1, 2] }`.
 */
export function runs(batch: Uint32Array): { unique: Uint32Array; times: Uint32Array } {
  batch.sort();
  if (scratchUnique.length < batch.length) {
    scratchUnique = new Uint32Array(batch.length * 2);
    scratchTimes = new Uint32Array(batch.length * 2);
  }
  const unique = scratchUnique;
  const times = scratchTimes;
  let n = 0;
  for (let i = 0; i < batch.length; i++) {
    const p = batch[i] as number;
    if (n > 0 && unique[n - 1] === p) times[n - 1] = (times[n - 1] as number) + 1;
    else {
      unique[n] = p;
      times[n++] = 1;
    }
  }
  return { unique: unique.subarray(0, n), times: times.subarray(0, n) };
}

/**
 * Raises the counts of `unique[i]` from `before(unique[i])` to that plus `times[i]` in `levels` (the day
 * bitmap itself, level 1, is the caller's). `unique` ascending. Example:
 * `raise(levels, [4], [2], () => 1)` puts 4 in `levels[0]` (2+) and `levels[1]` (3+).
 */
export function raise(
  levels: DayLevels,
  unique: Uint32Array,
  times: Uint32Array,
  before: (p: number) => number,
): void {
  if (unique.length <= ONE_BY_ONE) {
    // a small batch, the usual one: a native call per (profile, level) costs less than building a
    // typed array and a bitmap call per level
    for (let i = 0; i < unique.length; i++) {
      const p = unique[i] as number;
      const from = before(p);
      const to = Math.min(from + (times[i] as number), LEVELS + 1);
      for (let k = Math.max(0, from - 1); k + 2 <= to; k++) {
        const level = levels[k];
        if (level === undefined) levels[k] = new RoaringBitmap32([p]);
        else level.add(p);
      }
    }
    return;
  }
  const adds: number[][] = [];
  for (let i = 0; i < unique.length; i++) {
    const p = unique[i] as number;
    const from = before(p);
    const to = Math.min(from + (times[i] as number), LEVELS + 1);
    // levels[k] means count >= k + 2
    for (let k = Math.max(0, from - 1); k + 2 <= to; k++) (adds[k] ??= []).push(p);
  }
  for (let k = 0; k < adds.length; k++) {
    const add = adds[k];
    if (add === undefined || add.length === 0) continue;
    const values = Uint32Array.from(add);
    const level = levels[k];
    if (level === undefined) levels[k] = new RoaringBitmap32(values);
    else level.addMany(values);
  }
}

/** The count of `p` that `levels` record beyond 1 (0..LEVELS). Example: in levels[0] only -> `1`. */
export function extraCount(levels: DayLevels, p: number): number {
  let n = 0;
  for (const level of levels) {
    if (level === undefined || !level.has(p)) break;
    n++;
  }
  return n;
}

/** Takes `p` out of every level. */
export function dropFromLevels(levels: DayLevels | undefined, p: number): void {
  if (levels !== undefined) for (const level of levels) level?.delete(p);
}

/** Takes the profiles out of every level. */
export function dropManyFromLevels(levels: DayLevels | undefined, dead: ReadonlyBitmap): void {
  if (levels !== undefined) for (const level of levels) level?.andNotInPlace(dead);
}
