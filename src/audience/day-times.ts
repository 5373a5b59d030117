import { DAY_MS } from '../core/clock.ts';
import { dayRange } from '../core/time-range.ts';
import type { RealisationLists } from '../profiles/profile-store.ts';
import type { ReadonlyBitmap } from './bitmap.ts';

/**
 * The realisations of one trait on one UTC day: `profiles[i]` realised it at `times[i]` ms after the
 * day's start, ascending by profile and, within a profile, by time. A window that cuts the day reads
 * them here in one pass instead of scanning each candidate's block in the store.
 */
export interface DayTimes {
  readonly profiles: Uint32Array;
  readonly times: Uint32Array;
}

/** How many realisations the memo holds at most by default (8 bytes each: 512 MB). */
export const DAY_TIMES_BUDGET = 64 * 1024 * 1024;

/**
 * Memoised `DayTimes` of the (trait, day)s that windows cut, dropped when the day changes and, past the
 * budget, the least recently used first. Window edges move a day at a time and a size, an overlap or a
 * re-segmentation asks the same few edge days again and again, so most reads are hits; building one
 * costs what the scans it replaces cost once.
 *
 * Example:
 * ```ts
 * const memo = new DayTimesMemo();
 * const t = memo.of(7, 20_400, dayBitmap, lists); // scans the day's profiles in the store once
 * memo.of(7, 20_400, dayBitmap, lists) === t; // true, until memo.changed(7, 20_400)
 * ```
 */
export class DayTimesMemo {
  /** keyed `${traitId}:${day}`, in order of last use (a Map keeps insertion order) */
  private readonly entries = new Map<string, DayTimes>();
  private held = 0;

  constructor(private readonly budget = DAY_TIMES_BUDGET) {}

  /** The day's times when memoised (and marks them used), else undefined. */
  known(traitId: number, day: number): DayTimes | undefined {
    const key = `${traitId}:${day}`;
    const times = this.entries.get(key);
    if (times !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, times);
    }
    return times;
  }

  /** The day's times: memoised, or read from `lists` for every member of the day's bitmap. */
  of(traitId: number, day: number, members: ReadonlyBitmap, lists: RealisationLists): DayTimes {
    const known = this.known(traitId, day);
    if (known !== undefined) return known;
    const times = readDayTimes(traitId, day, members, lists);
    if (times.profiles.length > this.budget) return times;
    this.held += times.profiles.length;
    this.entries.set(`${traitId}:${day}`, times);
    for (const [key, old] of this.entries) {
      if (this.held <= this.budget) break;
      this.entries.delete(key);
      this.held -= old.profiles.length;
    }
    return times;
  }

  /** Day `day` of the trait changed: drops its times. */
  changed(traitId: number, day: number): void {
    const key = `${traitId}:${day}`;
    const times = this.entries.get(key);
    if (times === undefined) return;
    this.entries.delete(key);
    this.held -= times.profiles.length;
  }

  /** Drops the trait's times, or all of them. */
  clear(traitId?: number): void {
    if (traitId === undefined) {
      this.entries.clear();
      this.held = 0;
      return;
    }
    for (const [key, times] of this.entries)
      if (key.startsWith(`${traitId}:`)) {
        this.entries.delete(key);
        this.held -= times.profiles.length;
      }
  }
}

/** Reads the trait's realisations on the day from the store's lists, for every member of the day. */
export function readDayTimes(
  traitId: number,
  day: number,
  members: ReadonlyBitmap,
  lists: RealisationLists,
): DayTimes {
  const start = day * DAY_MS;
  const whole = dayRange(day);
  let times: Uint32Array = new Uint32Array(Math.max(16, members.size * 2));
  let profiles: Uint32Array = new Uint32Array(times.length);
  let n = 0;
  for (const p of members.toUint32Array()) {
    const room = n + lists.held(p);
    if (room > times.length) {
      const size = Math.max(room, times.length * 2);
      times = grow(times, size);
      profiles = grow(profiles, size);
    }
    const end = lists.timesIn(p, traitId, whole, times, n, start);
    profiles.fill(p, n, end);
    n = end;
  }
  return { profiles: profiles.slice(0, n), times: times.slice(0, n) };
}

function grow(a: Uint32Array, size: number): Uint32Array {
  const b = new Uint32Array(size);
  b.set(a);
  return b;
}

/**
 * Per profile of `times` (ascending) with at least one time in `(after, atOrBefore]` (ms after the
 * day's start), how many: the profiles into `profiles`, their counts into `counts`; returns how many.
 * The arrays need room for `times.profiles.length`.
 */
export function countsWithin(
  times: DayTimes,
  after: number,
  atOrBefore: number,
  profiles: Uint32Array,
  counts: Uint32Array,
): number {
  const ps = times.profiles;
  const ts = times.times;
  let n = 0;
  let last = -1;
  for (let i = 0; i < ps.length; i++) {
    const t = ts[i] as number;
    if (t <= after || t > atOrBefore) continue;
    const p = ps[i] as number;
    if (p === last) counts[n - 1] = (counts[n - 1] as number) + 1;
    else {
      profiles[n] = p;
      counts[n++] = 1;
      last = p;
    }
  }
  return n;
}
