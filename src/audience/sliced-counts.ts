import type { CmpOp } from '../core/rules/index.ts';
import { compareNumbers } from '../core/rules/trait-window.ts';
import {
  RoaringBitmap32,
  bitmapOfSorted,
  orAndDispose,
  toArrayAndDispose,
  unionOf,
  type Bitmap,
  type ReadonlyBitmap,
} from './bitmap.ts';
import type { DaysAndLevels } from './count-days.ts';
import { LEVELS } from './day-levels.ts';

/** A count test of a window. Example: `{ op: '>=', value: 2 }`. */
export interface CountTest {
  op: CmpOp;
  value: number;
}

/**
 * Count tests whose values are all below this are answered by bitmap arithmetic (`slicedMembers`): a
 * day's count levels know counts up to `LEVELS + 1` exactly, and a saturated day holds at least that many.
 */
export const SLICED_MAX = LEVELS + 1;

/**
 * The counts that pass every test, as runs `[from, to]` (`to` Infinity: that count and every larger
 * one), when every value tested is below `SLICED_MAX` (so that every count from there on answers alike);
 * else undefined. Example: `passingRuns([{ op: '!=', value: 2 }])` -> `[[0, 1], [3, Infinity]]`.
 */
export function passingRuns(counts: readonly CountTest[]): [from: number, to: number][] | undefined {
  let top = 0;
  for (const c of counts) top = Math.max(top, Math.floor(c.value) + 1);
  if (top > SLICED_MAX) return undefined;
  const runs: [number, number][] = [];
  for (let c = 0; c <= top; c++) {
    if (!counts.every((t) => compareNumbers(c, t.op, t.value))) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && last[1] === c - 1) last[1] = c;
    else runs.push([c, c]);
  }
  const last = runs[runs.length - 1];
  if (last !== undefined && last[1] === top) last[1] = Infinity;
  return runs;
}

/** A trait's days and levels, with its memoised counts over ranges of days (`DaySlices`). */
export interface SlicedData extends DaysAndLevels {
  /** `slicedCounts(days, k, this)`, memoised until one of the days changes; do not change them */
  slices?(days: readonly number[], k: number): readonly ReadonlyBitmap[];
}

/**
 * The profiles of `universe` whose count of a trait's realisations in a window falls in one of `runs`
 * (`passingRuns`), by bitmap arithmetic instead of a count per candidate: with `atLeast(j)` the profiles
 * counted at least j times (every profile for j = 0), a run `[a, b]` is `atLeast(a)` minus
 * `atLeast(b + 1)`. The inside days but the latest are counted over the whole population and memoised
 * (`data.slices`: unchanged from query to query, as only the latest day takes today's additions); the
 * latest inside day and the cut days are counted on their own, the cut days for the candidates of
 * `universe` only (`cutCount(day)` counts a cut day's profiles, asked in ascending order, as
 * `windowCounts` asks it); the two combine as at least j in all = at least i in the first and j - i in
 * the second, for some i.
 *
 * Example: `slicedMembers([[2, Infinity]], [20_000, 20_001], [], data, () => () => 0, live)`: the
 * profiles seen on both days, or twice on one.
 */
export function slicedMembers(
  runs: readonly (readonly [number, number])[],
  inside: readonly number[],
  cut: readonly number[],
  data: SlicedData,
  cutCount: (day: number) => (p: number) => number,
  universe: ReadonlyBitmap,
): Bitmap {
  let k = 0;
  for (const [from, to] of runs) k = Math.max(k, to === Infinity ? from : to + 1);
  if (k === 0) return runs.length === 0 ? new RoaringBitmap32() : universe.clone();
  const latest = inside.length === 0 ? undefined : Math.max(...inside);
  const settled = data.slices === undefined ? [] : inside.filter((d) => d !== latest);
  const recent = settled.length === 0 ? inside : [latest as number];
  const seen = new SlicedCount(k);
  for (const day of recent) seen.addDay(day, data);
  for (const day of cut) {
    const bitmap = data.days?.get(day);
    if (bitmap === undefined) continue;
    const candidates = toArrayAndDispose(RoaringBitmap32.and(bitmap, universe));
    const count = cutCount(day);
    // atLeast[c - 1]: the candidates counted there at least c times (c = 1..k), ascending
    const atLeast = Array.from({ length: k }, () => new Uint32Array(candidates.length));
    const filled = new Uint32Array(k);
    for (const p of candidates) {
      const c = Math.min(k, count(p));
      for (let i = 0; i < c; i++) (atLeast[i] as Uint32Array)[filled[i]!++] = p;
    }
    for (let i = 0; i < k; i++) {
      const unit = bitmapOfSorted(atLeast[i] as Uint32Array, filled[i] as number);
      seen.add(unit);
      unit.dispose();
    }
  }
  const before = settled.length === 0 || data.slices === undefined ? undefined : data.slices(settled, k);
  const atLeast = (j: number): Bitmap => {
    if (j === 0) return universe.clone();
    const members = RoaringBitmap32.and(seen.atLeast[j - 1] as Bitmap, universe);
    if (before === undefined) return members;
    orAndDispose(members, RoaringBitmap32.and(before[j - 1] as ReadonlyBitmap, universe));
    for (let i = 1; i < j; i++) {
      const both = RoaringBitmap32.and(before[i - 1] as ReadonlyBitmap, seen.atLeast[j - 1 - i] as Bitmap);
      orAndDispose(members, both.andInPlace(universe));
    }
    return members;
  };
  const members = new RoaringBitmap32();
  for (const [from, to] of runs) {
    const run = atLeast(from);
    if (to !== Infinity) {
      const above = atLeast(to + 1);
      run.andNotInPlace(above);
      above.dispose();
    }
    orAndDispose(members, run);
  }
  seen.dispose();
  return members;
}

/**
 * `atLeast[j]` for j < k: the profiles counted at least j + 1 times on `days` (each day's bitmap and its
 * first k - 1 count levels), over the whole population. A day's count past its levels is a lower bound of
 * at least `LEVELS + 1` > k, so the answer is exact. Example: `slicedCounts([20_000, 20_001], 2, data)`.
 */
export function slicedCounts(days: readonly number[], k: number, data: DaysAndLevels): Bitmap[] {
  if (k === 1) return [unionOf(days.map((d) => data.days?.get(d) ?? NONE))];
  const seen = new SlicedCount(k);
  for (const day of days) seen.addDay(day, data);
  return seen.atLeast;
}

/**
 * The counts of two disjoint sets of units together, each given as `atLeast[j]` (j < k; the profiles
 * counted at least j + 1 times): at least j + 1 in all is at least j + 1 in one of them, or at least
 * i + 1 in `a` and j - i in `b`. Example: `combineSliced(weekOne, weekTwo, 2)`.
 */
export function combineSliced(
  a: readonly ReadonlyBitmap[],
  b: readonly ReadonlyBitmap[],
  k: number,
): Bitmap[] {
  const out: Bitmap[] = [];
  for (let j = 0; j < k; j++) {
    const parts: ReadonlyBitmap[] = [a[j] as ReadonlyBitmap, b[j] as ReadonlyBitmap];
    const both: Bitmap[] = [];
    for (let i = 0; i < j; i++) {
      const common = RoaringBitmap32.and(a[i] as ReadonlyBitmap, b[j - 1 - i] as ReadonlyBitmap);
      if (common.isEmpty) continue;
      parts.push(common);
      both.push(common);
    }
    out.push(RoaringBitmap32.orMany(parts));
    for (const common of both) common.dispose();
  }
  return out;
}

/**
 * A saturating bit-sliced count: each unit added adds one to its members; `atLeast[j]` holds the profiles
 * counted at least j + 1 times so far (`atLeast[j] |= atLeast[j - 1] & unit`, from the top).
 */
class SlicedCount {
  readonly atLeast: Bitmap[] = [];

  constructor(private readonly k: number) {
    for (let j = 0; j < k; j++) this.atLeast.push(new RoaringBitmap32());
  }

  add(unit: ReadonlyBitmap): void {
    const seen = this.atLeast;
    for (let j = this.k - 1; j >= 1; j--) {
      const below = seen[j - 1] as Bitmap;
      if (!below.isEmpty) orAndDispose(seen[j] as Bitmap, RoaringBitmap32.and(below, unit));
    }
    (seen[0] as Bitmap).orInPlace(unit);
  }

  /** Frees the counts' bitmaps (when they are not handed on). */
  dispose(): void {
    for (const bitmap of this.atLeast) bitmap.dispose();
  }

  /** A day's bitmap and its first k - 1 count levels. */
  addDay(day: number, data: DaysAndLevels): void {
    const bitmap = data.days?.get(day);
    if (bitmap === undefined) return;
    this.add(bitmap);
    const levels = data.levels?.get(day);
    for (let level = 0; level < this.k - 1 && levels !== undefined && level < levels.length; level++) {
      const members = levels[level];
      if (members !== undefined) this.add(members);
    }
  }
}

const NONE: ReadonlyBitmap = new RoaringBitmap32();
