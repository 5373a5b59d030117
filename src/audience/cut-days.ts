import { DAY_MS } from '../core/clock.ts';
import { dayRange, timeRange, type TimeRange } from '../core/time-range.ts';
import type { ReadonlyBitmap } from './bitmap.ts';
import { countsWithin, type DayTimes } from './day-times.ts';
import { dayBitmap, type TraitWindow } from './trait-query.ts';

/**
 * A cut day's realisation times are read from the store (then memoised) when at least one in this many
 * of its profiles are candidates: reading them costs one block scan per profile of the day, what the
 * candidates' own scans would cost.
 */
const READ_TIMES_SHARE = 4;

/**
 * The part of the window's kept interval on UTC day `day`, in epoch ms.
 * Example: for `(lo, hi]` ending at noon of `day`: `(start of day - 1, noon]`.
 */
export function keptOnDay(window: TraitWindow, day: number): TimeRange {
  const whole = dayRange(day);
  return timeRange(
    Math.max(window.kept.afterExclusive, whole.afterExclusive),
    Math.min(window.kept.atOrBefore, whole.atOrBefore),
  );
}

/** The same part in ms after the day's start (how `DayTimes` holds its times). */
function sinceDayStart(part: TimeRange, day: number): TimeRange {
  const start = day * DAY_MS;
  return timeRange(part.afterExclusive - start, part.atOrBefore - start);
}

/**
 * The cut day's realisations with their times when memoised, or when `candidates` of the day's
 * `members` are enough to make reading them from the store worth it (`READ_TIMES_SHARE`); else
 * undefined: each candidate is then counted in the store.
 */
export function timesOfCutDay(
  window: TraitWindow,
  day: number,
  members: ReadonlyBitmap,
  candidates: number,
): DayTimes | undefined {
  return window.data.times(day, candidates * READ_TIMES_SHARE >= members.size);
}

/**
 * Per-profile counts of a cut day's memoised times within the window (`countsWithin`), in arrays reused
 * from query to query: one per audience index (`TraitDays`), as queries run one at a time and read the
 * counts before the next. After `count`, `profiles[0..n)` (ascending) and `counts[0..n)` hold them.
 *
 * Example: `const n = scratch.count(times, window, day); bitmapOfSorted(scratch.profiles, n)`.
 */
export class CutDayScratch {
  profiles = new Uint32Array(0);
  counts = new Uint32Array(0);

  /** Counts the day's `times` inside the window's part of `day`; returns how many profiles have any. */
  count(times: DayTimes, window: TraitWindow, day: number): number {
    if (this.profiles.length < times.profiles.length) {
      this.profiles = new Uint32Array(times.profiles.length);
      this.counts = new Uint32Array(times.profiles.length);
    }
    const part = sinceDayStart(keptOnDay(window, day), day);
    return countsWithin(times, part.afterExclusive, part.atOrBefore, this.profiles, this.counts);
  }
}

/**
 * How many realisations of the trait each candidate holds on cut day `day` within the window, asked in
 * ascending order of profile: from the day's memoised times when many of its profiles are candidates
 * (`whole`: every profile of the day is), else each candidate's own count in the store.
 *
 * Example: `const count = cutDayCounter(window, candidates, false)(day); count(p)`.
 */
export function cutDayCounter(
  window: TraitWindow,
  candidates: ReadonlyBitmap,
  whole: boolean,
): (day: number) => (p: number) => number {
  const { data, lists } = window;
  const traitId = window.query.traitId;
  return (day) => {
    const members = dayBitmap(data, day);
    const onDay = whole ? members.size : members.andCardinality(candidates);
    const times = timesOfCutDay(window, day, members, onDay);
    if (times === undefined) {
      const part = keptOnDay(window, day);
      return (p) => lists.countIn(p, traitId, part);
    }
    const n = data.scratch.count(times, window, day);
    const { profiles, counts } = data.scratch;
    let k = 0;
    return (p) => {
      while (k < n && (profiles[k] as number) < p) k++;
      return k < n && profiles[k] === p ? (counts[k] as number) : 0;
    };
  };
}
