import { DAY_MS } from '../core/clock.ts';
import type {
  PartToWrite,
  ProfileColumnsView,
  RealisationLists,
  SnapshotPart,
} from '../profiles/profile-store.ts';
import { RoaringBitmap32, unionOf, type Bitmap, type ReadonlyBitmap } from './bitmap.ts';
import { DayBuffers } from './day-buffers.ts';
import { CutDayScratch } from './cut-days.ts';
import { DaySlices } from './day-slices.ts';
import { slicedCounts } from './sliced-counts.ts';
import { DayTimesMemo, type DayTimes } from './day-times.ts';
import { readTraitDaysParts, traitDaysParts } from './trait-days-snapshot.ts';
import { SortScratch, forEachDayRun, sortRealisations } from './realisation-sort.ts';
import type { DayLevels } from './day-levels.ts';
import { dropFromLevels, dropManyFromLevels, extraCount, raise, runs } from './day-levels.ts';
import { addAll, addReturningHeld } from './add-to-bitmap.ts';

/** The UTC day number of a time (days since the epoch). Example: `dayOf(Date.UTC(1970, 0, 2, 5))` -> `1`. */
export function dayOf(ts: number): number {
  return Math.floor(ts / DAY_MS);
}

/**
 * Per trait, one bitmap per UTC day of the profiles that realised it that day, its count levels (the
 * profiles that realised it there at least 2, 3, ... `LEVELS + 1` times, `day-levels.ts`), and the union
 * of those days (the trait's holders). Invariant: `p` is in day `d` of trait `t` exactly when the profile
 * store holds a realisation of `t` for `p` whose time falls on day `d`, and in level `k` of that day
 * exactly when it holds at least `k + 2` of them.
 *
 * Example:
 * ```ts
 * const days = new TraitDays();
 * days.add(3, 7, Date.UTC(2026, 9, 1, 10));
 * days.daysOf(7)?.get(dayOf(Date.UTC(2026, 9, 1))).has(3); // true
 * ```
 */
export class TraitDays {
  private readonly byTrait = new Map<number, Map<number, Bitmap>>();
  /** the union of each trait's days, made on first read (insights), then kept current */
  private readonly holdersByTrait = new Map<number, Bitmap>();
  /** per trait and day, the count levels (absent: every profile of the day realised it once) */
  private readonly levelsByTrait = new Map<number, Map<number, DayLevels>>();
  /**
   * no held realisation is later than this (an upper bound: removals leave it; -Infinity when none, and
   * Infinity after restoring a snapshot without it): when a window ends at or after it, the day holding
   * the window's end is not cut by it
   */
  private latest = -Infinity;
  /** unions and counts (at least 1..k times) over ranges of days, dropped when a day in their range changes */
  private readonly slices = new DaySlices();
  /** the realisation times of the days windows cut, dropped like the counts */
  private readonly times = new DayTimesMemo();
  /** `build`'s arrays, reused from range to range within a build */
  private sortScratch: SortScratch | undefined;
  /** where the queries over these days count a cut day's times (`traitMembers`), reused from query to query */
  readonly cutDayScratch = new CutDayScratch();
  /** additions not yet in the bitmaps: every method that reads or removes flushes them first */
  private readonly buffers = new DayBuffers((traitId, day, profiles) => this.addDay(traitId, day, profiles));

  /** Applies the buffered additions now (reads do it anyway). */
  flush(): void {
    this.buffers.flush();
  }

  /**
   * Adds one buffered batch of a (trait, day): `profiles` holds a profile once per realisation. Each
   * profile joins the day's bitmap and the trait's holders; the count levels are raised only when a
   * profile came more than once or the day already held it (else every count there is still 1).
   */
  private addDay(traitId: number, day: number, profiles: Uint32Array): void {
    const { unique, times } = runs(profiles);
    this.dayChanged(traitId, day);
    const countBefore = this.addToDayBitmap(traitId, day, unique);
    if (countBefore !== undefined || unique.length < profiles.length)
      raise(this.levels(traitId, day), unique, times, countBefore ?? NOT_BEFORE);
    this.addHolders(traitId, unique);
  }

  /**
   * Adds `unique` (ascending) to the day's bitmap, made from them when the day is new (one native call,
   * not two). Returns the counts on the day before this batch when it already held some of them
   * (`countsOnDay`), else undefined.
   */
  private addToDayBitmap(
    traitId: number,
    day: number,
    unique: Uint32Array,
  ): ((p: number) => number) | undefined {
    const days = this.daysMadeOf(traitId);
    const bitmap = days.get(day);
    if (bitmap === undefined) {
      days.set(day, new RoaringBitmap32(unique));
      return undefined;
    }
    const held = addReturningHeld(bitmap, unique);
    return held === undefined ? undefined : this.countsOnDay(traitId, day, held);
  }

  /** The counts on the day of `held` (profiles of its bitmap): 1 plus the count levels each is in; 0 for others. */
  private countsOnDay(traitId: number, day: number, held: ArrayLike<number>): (p: number) => number {
    const levels = this.levelsByTrait.get(traitId)?.get(day);
    const known = new Map<number, number>();
    for (let i = 0; i < held.length; i++) {
      const p = held[i] ?? 0;
      known.set(p, 1 + (levels ? extraCount(levels, p) : 0));
    }
    return (p) => known.get(p) ?? 0;
  }

  /** The trait's day bitmaps, made empty when absent. */
  private daysMadeOf(traitId: number): Map<number, Bitmap> {
    let days = this.byTrait.get(traitId);
    if (days === undefined) this.byTrait.set(traitId, (days = new Map<number, Bitmap>()));
    return days;
  }

  private addHolders(traitId: number, unique: Uint32Array): void {
    const holders = this.holdersByTrait.get(traitId);
    if (holders !== undefined) addAll(holders, unique);
  }

  /** The count levels of a (trait, day), made empty when absent. */
  private levels(traitId: number, day: number): DayLevels {
    let byDay = this.levelsByTrait.get(traitId);
    if (byDay === undefined) this.levelsByTrait.set(traitId, (byDay = new Map<number, DayLevels>()));
    let levels = byDay.get(day);
    if (levels === undefined) byDay.set(day, (levels = []));
    return levels;
  }

  /**
   * The union of the trait's bitmaps of `days`, which must be every day it holds from the first of them
   * to the last (a window's inside days); memoised until one of them changes (`slicesOfDays` with k = 1).
   * Do not change it.
   */
  unionOfDays(traitId: number, days: readonly number[]): ReadonlyBitmap {
    return this.slicesOfDays(traitId, days, 1)[0] ?? EMPTY;
  }

  /**
   * For j < k, the profiles holding at least j + 1 realisations of the trait on `days` (every day it
   * holds from the first of them to the last): `slicedCounts`, memoised until one of them changes. Do
   * not change them.
   */
  slicesOfDays(traitId: number, days: readonly number[], k: number): readonly ReadonlyBitmap[] {
    this.flush();
    // one day's union is its own bitmap: nothing to copy or keep
    if (k === 1 && days.length < 2) return [this.byTrait.get(traitId)?.get(days[0] ?? NaN) ?? EMPTY];
    const data = { days: this.byTrait.get(traitId), levels: this.levelsByTrait.get(traitId) };
    return this.slices.joined(traitId, days, k, (d, n) => slicedCounts(d, n, data));
  }

  /**
   * The trait's realisations on the day with their times (`day-times.ts`): memoised, or (`read`) read
   * from the store's `lists` for every profile of the day and memoised; undefined when not memoised and
   * not `read`, or when the trait holds nothing that day.
   */
  timesOfDay(traitId: number, day: number, lists: RealisationLists, read: boolean): DayTimes | undefined {
    this.flush();
    const members = this.byTrait.get(traitId)?.get(day);
    if (members === undefined) return undefined;
    return read ? this.times.of(traitId, day, members, lists) : this.times.known(traitId, day);
  }

  private dayChanged(traitId: number, day: number): void {
    this.slices.changed(traitId, day);
    this.times.changed(traitId, day);
  }

  private memosCleared(traitId?: number): void {
    this.slices.clear(traitId);
    this.times.clear(traitId);
  }

  /** The memoised counts' bytes held, entries made and evicted (`DaySlices.stats`). */
  memoStats(): { bytes: number; made: number; evicted: number } {
    return this.slices.stats();
  }

  /** The count levels of a trait's days, by day number (a day without levels: every count is 1). */
  levelsOf(traitId: number): ReadonlyMap<number, DayLevels> | undefined {
    this.flush();
    return this.levelsByTrait.get(traitId);
  }

  /** The day bitmaps of a trait, by day number. */
  daysOf(traitId: number): ReadonlyMap<number, ReadonlyBitmap> | undefined {
    this.flush();
    return this.byTrait.get(traitId);
  }

  /** The profiles holding any realisation of the trait (empty when none). */
  holders(traitId: number): ReadonlyBitmap {
    this.flush();
    let holders = this.holdersByTrait.get(traitId);
    if (holders === undefined) {
      const days = this.byTrait.get(traitId);
      if (days === undefined) return EMPTY;
      holders = unionOf([...days.values()]);
      this.holdersByTrait.set(traitId, holders);
    }
    return holders;
  }

  /** The trait ids with at least one day bitmap. */
  traitIds(): number[] {
    this.flush();
    return [...this.byTrait.keys()];
  }

  /** How many (trait, day) bitmaps are held. */
  bitmapCount(): number {
    this.flush();
    let n = 0;
    for (const days of this.byTrait.values()) n += days.size;
    return n;
  }

  /** No realisation held is later than this (an upper bound). */
  latestTime(): number {
    return this.latest;
  }

  add(p: number, traitId: number, ts: number): void {
    if (ts > this.latest) this.latest = ts;
    this.buffers.add(p, traitId, dayOf(ts));
  }

  /** Removes `p` from the days its realisations (still in `lists`) fall on, of every trait or `only`'s. */
  removeListed(p: number, lists: RealisationLists, only?: (traitId: number) => boolean): void {
    // some traits only: their buffered additions of `p` are settled (not every trait's handed over)
    if (only === undefined) this.flush();
    const n = lists.load(p);
    const { trait, ts } = lists;
    for (let i = 0; i < n; i++) {
      const traitId = trait[i] ?? 0;
      if (only !== undefined) {
        if (!only(traitId)) continue;
        this.buffers.settleFor(p, traitId);
      }
      const day = dayOf(ts[i] ?? 0);
      this.byTrait.get(traitId)?.get(day)?.delete(p);
      this.dayChanged(traitId, day);
      dropFromLevels(this.levelsByTrait.get(traitId)?.get(day), p);
      this.holdersByTrait.get(traitId)?.delete(p);
    }
  }

  /** Removes the profiles from every bitmap: the slow path, when their realisations are gone. */
  removeEverywhere(dead: ReadonlyBitmap): void {
    this.flush();
    if (dead.isEmpty) return;
    for (const [traitId, days] of this.byTrait)
      for (const [day, b] of days) {
        if (!b.intersects(dead)) continue;
        b.andNotInPlace(dead);
        this.dayChanged(traitId, day);
      }
    for (const b of this.holdersByTrait.values()) b.andNotInPlace(dead);
    for (const byDay of this.levelsByTrait.values())
      for (const levels of byDay.values()) dropManyFromLevels(levels, dead);
  }

  clearTrait(traitId: number): void {
    this.flush();
    this.byTrait.delete(traitId);
    this.holdersByTrait.delete(traitId);
    this.levelsByTrait.delete(traitId);
    this.memosCleared(traitId);
  }

  /**
   * Follows the store's `forget`: drops the traits without a lifetime and the days wholly at or before
   * `now - lifetime`, and re-checks the day that straddles the cutoff against the store's lists.
   */
  forget(
    now: number,
    traitLifetimeMs: (traitId: number) => number | undefined,
    lists: RealisationLists,
  ): void {
    this.flush();
    for (const [traitId, days] of this.byTrait) {
      const lifetime = traitLifetimeMs(traitId);
      if (lifetime === undefined) {
        this.clearTrait(traitId);
        continue;
      }
      const cutoff = now - lifetime;
      let changed = false;
      const levelsByDay = this.levelsByTrait.get(traitId);
      for (const [day, bitmap] of days) {
        if ((day + 1) * DAY_MS <= cutoff) {
          days.delete(day);
          levelsByDay?.delete(day);
          changed = true;
        } else if (day * DAY_MS <= cutoff) {
          this.recount(traitId, day, bitmap, lists);
          changed = true;
        }
        // only the days at or before the cutoff change: memoised counts over later days stay
        if (day * DAY_MS <= cutoff) this.dayChanged(traitId, day);
        if (bitmap.isEmpty) {
          days.delete(day);
          levelsByDay?.delete(day);
        }
      }
      if (days.size === 0) this.clearTrait(traitId);
      else if (changed) this.holdersByTrait.delete(traitId);
    }
  }

  /** Sets the day's bitmap and levels from the store's lists (the day straddling a `forget` cutoff). */
  private recount(traitId: number, day: number, bitmap: Bitmap, lists: RealisationLists): void {
    const members = bitmap.toUint32Array();
    const counts = new Uint32Array(members.length);
    for (let i = 0; i < members.length; i++) {
      const p = members[i] as number;
      const n = countOnDay(lists, p, traitId, day);
      if (n === 0) bitmap.delete(p);
      counts[i] = n;
    }
    this.levelsByTrait.get(traitId)?.delete(day);
    raise(this.levels(traitId, day), members, counts, () => 0);
  }

  /** The day bitmaps, count levels and latest time as snapshot parts (`trait-days-snapshot.ts`). */
  snapshotParts(): PartToWrite[] {
    this.flush();
    return traitDaysParts({ byTrait: this.byTrait, levelsByTrait: this.levelsByTrait, latest: this.latest });
  }

  /**
   * Replaces every day bitmap by those of `snapshotParts()`; throws naming a missing or short part, and
   * then changes nothing. A snapshot from before the latest time was kept leaves it unknown, so every
   * window's end day is checked.
   */
  restore(parts: readonly SnapshotPart[]): void {
    const read = readTraitDaysParts(parts);
    this.buffers.clear();
    this.byTrait.clear();
    this.holdersByTrait.clear();
    this.levelsByTrait.clear();
    this.memosCleared();
    for (const [traitId, days] of read.byTrait) this.byTrait.set(traitId, days);
    for (const [traitId, levels] of read.levelsByTrait) this.levelsByTrait.set(traitId, levels);
    this.latest = read.latest;
  }

  /**
   * Rebuilds every bitmap from the store's live profiles and their realisation lists, `chunk` profiles
   * at a time: their realisations sorted by (trait, day, profile) in typed arrays (`realisation-sort.ts`),
   * each run appended to its day bitmap and its repeats raised in the count levels (the profiles of a
   * range are all above those of the ranges before, so both only grow).
   */
  build(view: ProfileColumnsView, chunk = BUILD_CHUNK): void {
    this.buffers.clear();
    this.byTrait.clear();
    this.holdersByTrait.clear();
    this.levelsByTrait.clear();
    this.memosCleared();
    this.latest = -Infinity;
    for (let start = 0; start < view.highWater; start += chunk)
      this.buildRange(view, start, Math.min(view.highWater, start + chunk));
    this.sortScratch = undefined; // about 240 MB: not kept between builds (they are rare)
  }

  private buildRange(view: ProfileColumnsView, start: number, end: number): void {
    const sorted = sortRealisations(view, start, end, (this.sortScratch ??= new SortScratch()));
    if (sorted.latest > this.latest) this.latest = sorted.latest;
    forEachDayRun(sorted, (traitId, day, unique, repeated, extra) => {
      const bitmaps = this.daysMadeOf(traitId);
      const bitmap = bitmaps.get(day);
      if (bitmap === undefined) bitmaps.set(day, new RoaringBitmap32(unique));
      else bitmap.addMany(unique);
      if (repeated.length > 0) raise(this.levels(traitId, day), repeated, extra, () => 1);
    });
  }
}

/**
 * Profiles whose realisations `build` sorts at a time: about 8.7M realisations in the standard data set,
 * 240 MB of arrays reused from range to range (measured on 200k profiles: 89 ns a realisation at 32k,
 * 119 at 8k with more bitmap calls, 137 at 128k with more fresh memory to touch).
 */
const BUILD_CHUNK = 1 << 15;

const EMPTY: ReadonlyBitmap = new RoaringBitmap32();

/** The count before a batch of a profile its day did not hold. */
const NOT_BEFORE = (_p: number): number => 0;

/** How many realisations of the trait the store holds for `p` on UTC day `day`. */
function countOnDay(lists: RealisationLists, p: number, traitId: number, day: number): number {
  const start = day * DAY_MS;
  const k = lists.load(p);
  const { trait } = lists;
  let n = 0;
  for (let i = 0; i < k; i++) {
    const ts = lists.ts[i] ?? 0;
    if (ts < start) break;
    if (trait[i] === traitId && dayOf(ts) === day) n++;
  }
  return n;
}
