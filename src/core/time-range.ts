import { DAY_MS } from './clock.ts';

/**
 * A span of time `(afterExclusive, atOrBefore]` in epoch ms (either side may be infinite): the one value
 * every window question of the profile store and the audience index is asked with, instead of two loose
 * numbers beside the profile, the trait and the output arguments. A rule's kept interval is one
 * (`trait:x[within 30d]` keeps `(now - 30d, now]`), and so is a UTC day (`dayRange`). Made once per
 * query or per day and passed down as it is: the scans read its two sides into locals.
 *
 * Example: `lists.countIn(p, traitId, timeRange(now - 30 * DAY_MS, now))` (realisations in the last 30 days).
 */
export interface TimeRange {
  /** times at or before this are outside (`-Infinity`: no lower bound) */
  readonly afterExclusive: number;
  /** times after this are outside (`Infinity`: no upper bound) */
  readonly atOrBefore: number;
}

/** Example: `timeRange(999, 1_000)` holds only `t = 1_000` (times are whole ms). */
export function timeRange(afterExclusive: number, atOrBefore: number): TimeRange {
  return { afterExclusive, atOrBefore };
}

/** Every time. Example: `lists.countIn(p, traitId, ALL_TIME)` (every realisation of the trait). */
export const ALL_TIME: TimeRange = timeRange(-Infinity, Infinity);

/**
 * The UTC day `day` (days since the epoch) as a range of whole ms: `(start - 1, start + DAY_MS - 1]`.
 * Example: `dayRange(1)` -> `{ afterExclusive: 86_399_999, atOrBefore: 172_799_999 }`.
 */
export function dayRange(day: number): TimeRange {
  const start = day * DAY_MS;
  return timeRange(start - 1, start + DAY_MS - 1);
}

/** Whether `t` is in the range. Example: `inRange(timeRange(0, 10), 10)` -> `true`, `inRange(..., 0)` -> `false`. */
export function inRange(range: TimeRange, t: number): boolean {
  return t > range.afterExclusive && t <= range.atOrBefore;
}

/** Whether the range holds no time at all. Example: `isEmptyRange(timeRange(5, 5))` -> `true`. */
export function isEmptyRange(range: TimeRange): boolean {
  return range.afterExclusive >= range.atOrBefore;
}
