import { DAY_MS } from '../core/clock.ts';
import type { WindowPlan } from '../core/rules/trait-window.ts';
import { countPasses, keptHigh, keptLow } from '../core/rules/trait-window.ts';
import type { RealisationLists } from '../profiles/profile-store.ts';
import {
  RoaringBitmap32,
  bitmapOfSorted,
  orAndDispose,
  unionOf,
  type Bitmap,
  type ReadonlyBitmap,
} from './bitmap.ts';
import { AT_LEAST, windowCounts, type DaysAndLevels } from './count-days.ts';
import type { DayLevels } from './day-levels.ts';
import { scanMembers } from './scan-members.ts';
import { countsWithin, type DayTimes } from './day-times.ts';
import { passingRuns, slicedMembers } from './sliced-counts.ts';

/** how many members of day bitmaps a union goes through in the time of one candidate's walk */
const WALK_PER_MEMBER = 256;
/**
 * A cut day's realisation times are read from the store (then memoised) when at least one in this many
 * of its profiles are candidates: reading them costs one block scan per profile of the day, what the
 * candidates' own scans would cost.
 */
const READ_TIMES_SHARE = 4;

/** A trait reference resolved against the catalog: its id, lifetime and windows. */
export interface TraitQuery {
  traitId: number;
  lifetimeMs: number;
  windows: WindowPlan;
}

/** A trait's day bitmaps and their count levels, by day number. */
export interface TraitDayData extends DaysAndLevels {
  /** the union of days wholly inside a window (every day held between the first and the last), memoised */
  union(days: readonly number[]): ReadonlyBitmap;
  /** counts of at least 1..k over such days (`slicedCounts`), memoised */
  slices?(days: readonly number[], k: number): readonly ReadonlyBitmap[];
  /** no realisation of any trait is later than this (an upper bound) */
  latest: number;
  /** the realisations of a day with their times: memoised, or (`read`) read from the store and memoised */
  times(day: number, read: boolean): DayTimes | undefined;
}

/**
 * The profiles of `universe` for which `trait:x[windows]` holds at `now`, exactly as the per-profile
 * predicate: the kept interval is `(lo, hi]` (`keptLow`, `keptHigh`); days wholly inside it are taken as
 * they are, days it cuts are checked against the exact times in the store's lists. With count tests,
 * each candidate's count is the sum of its days' counts (the day bitmaps and their count levels), the
 * cut days counted in the store's lists, and a saturated day's candidate counted there wholly; when a
 * count of 0 passes (`count == 0`, `count < 3`), profiles with no realisation in the interval are
 * members too.
 *
 * Example: `traitMembers(q, { days: days.daysOf(id), levels: days.levelsOf(id), union }, live, lists, now).size`.
 */
export function traitMembers(
  q: TraitQuery,
  data: TraitDayData,
  universe: ReadonlyBitmap,
  lists: RealisationLists,
  now: number,
): Bitmap {
  const lo = keptLow(q.windows, q.lifetimeMs, now);
  const hi = keptHigh(q.windows, now);
  const zeroPasses = countPasses(q.windows, 0);
  const inside: number[] = [];
  const cut: number[] = [];
  if (lo < hi && data.days !== undefined) {
    for (const day of data.days.keys()) {
      const start = day * DAY_MS;
      if (start + DAY_MS <= lo || start > hi) continue;
      // the day holding `hi` is not cut by it when nothing held is later (today, for windows ending now)
      if (start > lo && (start + DAY_MS <= hi || data.latest <= hi)) inside.push(day);
      else cut.push(day);
    }
  }
  if (inside.length === 0 && cut.length === 0) return zeroPasses ? universe.clone() : new RoaringBitmap32();
  const exact = (p: number): boolean => countPasses(q.windows, countIn(lists, p, q.traitId, lo, hi));
  const counting = q.windows.counts.length > 0;
  const runs = counting ? passingRuns(q.windows.counts) : undefined;
  // few candidates: count each one in the store rather than combine the days. A candidate's walk of
  // its list (hundreds of random reads) costs about a native call, or a union of hundreds of members.
  // What a query combines itself is the days it cuts and the latest inside day: the inside days before
  // it come from counts memoised once for every later query (`data.union`, `data.slices`).
  const memoised = !counting || (runs !== undefined && data.slices !== undefined);
  const combined = memoised && inside.length > 0 ? [Math.max(...inside)] : inside;
  const few = counting
    ? universe.size < bitmapCalls(combined, cut, data.levels)
    : universe.size * WALK_PER_MEMBER < membersOf(combined, data) + membersOf(cut, data);
  if (few) return scanMembers(universe, exact);
  const bitmapsOf = (days: number[]): ReadonlyBitmap[] => days.map((d) => data.days?.get(d) ?? EMPTY);
  if (!counting) {
    const members = insideMembers(inside, data, universe);
    for (const day of cut) {
      const bitmap = data.days?.get(day) ?? EMPTY;
      const edge = RoaringBitmap32.and(bitmap, universe).andNotInPlace(members);
      if (edge.isEmpty) continue;
      // the edge is disposed once its members found are added
      const [after, atOrBefore] = withinDay(day, lo, hi);
      const times = data.times(day, edge.size * READ_TIMES_SHARE >= bitmap.size);
      if (times === undefined) {
        const start = day * DAY_MS;
        orAndDispose(
          members,
          scanMembers(edge, (p) => anyIn(lists, p, q.traitId, start + after, start + atOrBefore)),
        );
      } else {
        const n = countsWithin(times, after, atOrBefore, ...scratchFor(times));
        orAndDispose(members, bitmapOfSorted(scratchProfiles, n).andInPlace(edge));
      }
      edge.dispose();
    }
    return members;
  }
  // a cut day's counts, for its candidates in ascending order: from its memoised times when many of the
  // day's profiles are candidates, else each candidate's own count in the store
  const cutCount = (candidates: ReadonlyBitmap, whole: boolean) => (day: number) => {
    const bitmap = data.days?.get(day) ?? EMPTY;
    const onDay = whole ? bitmap.size : bitmap.andCardinality(candidates);
    const times = data.times(day, onDay * READ_TIMES_SHARE >= bitmap.size);
    const [after, atOrBefore] = withinDay(day, lo, hi);
    const start = day * DAY_MS;
    if (times === undefined)
      return (p: number) => lists.countIn(p, q.traitId, start + after, start + atOrBefore);
    const n = countsWithin(times, after, atOrBefore, ...scratchFor(times));
    let k = 0;
    return (p: number) => {
      while (k < n && (scratchProfiles[k] as number) < p) k++;
      return k < n && scratchProfiles[k] === p ? (scratchCounts[k] as number) : 0;
    };
  };
  if (runs !== undefined) return slicedMembers(runs, inside, cut, data, cutCount(universe, false), universe);
  const days = unionOf([data.union(inside), ...bitmapsOf(cut)]);
  const candidates = RoaringBitmap32.and(days, universe);
  const whole = candidates.size === days.size;
  days.dispose();
  const { profiles, counts } = windowCounts(
    candidates,
    whole,
    inside,
    cut,
    data,
    cutCount(candidates, whole),
  );
  // past the largest value tested, every count test answers the same: a lower bound there decides
  const decided = Math.max(...q.windows.counts.map((c) => c.value)) + 1;
  let n = 0;
  for (let i = 0; i < profiles.length; i++) {
    const p = profiles[i] as number;
    const c = counts[i] as number;
    const known = (c & AT_LEAST) === 0 || (c & ~AT_LEAST) >= decided;
    if (known ? countPasses(q.windows, c & ~AT_LEAST) : exact(p)) profiles[n++] = p;
  }
  const passing = bitmapOfSorted(profiles, n);
  if (!zeroPasses) {
    candidates.dispose();
    return passing;
  }
  const members = orAndDispose(RoaringBitmap32.andNot(universe, candidates), passing);
  candidates.dispose();
  return members;
}

const EMPTY: ReadonlyBitmap = new RoaringBitmap32();

/**
 * The profiles of `universe` in any of the inside days: the union of all but the latest memoised, the
 * latest day (the one today's additions change) added to it.
 */
function insideMembers(inside: readonly number[], data: TraitDayData, universe: ReadonlyBitmap): Bitmap {
  if (inside.length < 2) return RoaringBitmap32.and(data.days?.get(inside[0] ?? NaN) ?? EMPTY, universe);
  const latest = Math.max(...inside);
  const members = RoaringBitmap32.and(data.union(inside.filter((d) => d !== latest)), universe);
  const last = data.days?.get(latest);
  if (last !== undefined) orAndDispose(members, RoaringBitmap32.and(last, universe));
  return members;
}

/** How many members the days' bitmaps hold together. */
function membersOf(days: readonly number[], data: TraitDayData): number {
  let n = 0;
  for (const day of days) n += data.days?.get(day)?.size ?? 0;
  return n;
}

/** How many bitmaps (days and their count levels) `windowCounts` reads. */
function bitmapCalls(
  inside: readonly number[],
  cut: readonly number[],
  levels: ReadonlyMap<number, DayLevels> | undefined,
): number {
  let n = inside.length + cut.length;
  if (levels !== undefined) for (const day of inside) n += levels.get(day)?.length ?? 0;
  return n;
}

/** How many realisations of the trait `p` holds in `(lo, hi]`: the arena's own count, on its blocks. */
function countIn(lists: RealisationLists, p: number, traitId: number, lo: number, hi: number): number {
  return lists.countIn(p, traitId, lo, hi);
}

/** Whether `p` holds a realisation of the trait in `(lo, hi]` (stops at the first). */
function anyIn(lists: RealisationLists, p: number, traitId: number, lo: number, hi: number): boolean {
  return lists.countIn(p, traitId, lo, hi, 1) > 0;
}

/**
 * The part of `(lo, hi]` on UTC day `day`, in ms after the day's start: `(after, atOrBefore]` (times are
 * whole ms).
 */
function withinDay(day: number, lo: number, hi: number): [after: number, atOrBefore: number] {
  const start = day * DAY_MS;
  return [Math.max(lo, start - 1) - start, Math.min(hi, start + DAY_MS - 1) - start];
}

/** `countsWithin`'s output arrays, reused from call to call (read before the next call) */
let scratchProfiles = new Uint32Array(0);
let scratchCounts = new Uint32Array(0);

function scratchFor(times: DayTimes): [Uint32Array, Uint32Array] {
  if (scratchProfiles.length < times.profiles.length) {
    scratchProfiles = new Uint32Array(times.profiles.length);
    scratchCounts = new Uint32Array(times.profiles.length);
  }
  return [scratchProfiles, scratchCounts];
}
