import { DAY_MS } from '../core/clock.ts';
import type { WindowPlan } from '../core/rules/trait-window.ts';
import { keptHigh, keptLow } from '../core/rules/trait-window.ts';
import { timeRange, type TimeRange } from '../core/time-range.ts';
import type { RealisationLists } from '../profiles/profile-store.ts';
import { RoaringBitmap32, type ReadonlyBitmap } from './bitmap.ts';
import type { DaysAndLevels } from './count-days.ts';
import type { CutDayScratch } from './cut-days.ts';
import type { DayTimes } from './day-times.ts';
import { passingRuns } from './sliced-counts.ts';

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
  /** where a cut day's counts are made, owned by the index (`TraitDays.cutDayScratch`) */
  scratch: CutDayScratch;
}

/**
 * One trait reference asked at one moment: its kept interval `(lo, hi]` (`keptLow`, `keptHigh`, the
 * lifetime included) and the trait's days that interval reaches, split into those wholly `inside` it
 * (taken as they are) and those it `cut`s (checked against the exact times). What every strategy of
 * `traitMembers` reads.
 */
export interface TraitWindow {
  query: TraitQuery;
  data: TraitDayData;
  lists: RealisationLists;
  kept: TimeRange;
  inside: number[];
  cut: number[];
  /** the count tests as runs of passing counts (`passingRuns`); undefined without count tests, or when a value is too large */
  runs: [from: number, to: number][] | undefined;
}

/**
 * The window of `query` at `now` over the trait's days. The day holding the interval's end is not cut
 * by it when nothing held is later (today, for windows ending now).
 *
 * Example: `windowOf({ traitId: 7, lifetimeMs: 120 * DAY_MS, windows: planWindows([]) }, data, lists, now).inside`.
 */
export function windowOf(
  query: TraitQuery,
  data: TraitDayData,
  lists: RealisationLists,
  now: number,
): TraitWindow {
  const lo = keptLow(query.windows, query.lifetimeMs, now);
  const hi = keptHigh(query.windows, now);
  const inside: number[] = [];
  const cut: number[] = [];
  if (lo < hi && data.days !== undefined) {
    for (const day of data.days.keys()) {
      const start = day * DAY_MS;
      if (start + DAY_MS <= lo || start > hi) continue;
      if (start > lo && (start + DAY_MS <= hi || data.latest <= hi)) inside.push(day);
      else cut.push(day);
    }
  }
  const counts = query.windows.counts;
  const runs = counts.length > 0 ? passingRuns(counts) : undefined;
  return { query, data, lists, kept: timeRange(lo, hi), inside, cut, runs };
}

/** A day bitmap, or this empty one when the trait holds nothing that day. Do not change it. */
export const NO_DAY: ReadonlyBitmap = new RoaringBitmap32();

/** The trait's bitmap of `day`, or `NO_DAY`. */
export function dayBitmap(data: TraitDayData, day: number): ReadonlyBitmap {
  return data.days?.get(day) ?? NO_DAY;
}
