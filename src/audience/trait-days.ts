import { DAY_MS } from '../core/clock.ts';
import type { ProfileColumnsView, RealisationLists } from '../profiles/profile-store.ts';
import { RoaringBitmap32, unionOf, type Bitmap, type ReadonlyBitmap } from './bitmap.ts';
import { DayBuffers } from './day-buffers.ts';

const NONE = -1;

/** The UTC day number of a time (days since the epoch). Example: `dayOf(Date.UTC(1970, 0, 2, 5))` -> `1`. */
export function dayOf(ts: number): number {
  return Math.floor(ts / DAY_MS);
}

/**
 * Per trait, one bitmap per UTC day of the profiles that realised it that day, and the union of those
 * days (the trait's holders). Invariant: `p` is in day `d` of trait `t` exactly when the profile store
 * holds a realisation of `t` for `p` whose time falls on day `d`.
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
  /** additions not yet in the bitmaps: every method that reads or removes flushes them first */
  private readonly buffers = new DayBuffers((traitId, day, profiles) => this.addDay(traitId, day, profiles));

  /** Applies the buffered additions now (reads do it anyway). */
  flush(): void {
    this.buffers.flush();
  }

  private addDay(traitId: number, day: number, profiles: Uint32Array): void {
    let days = this.byTrait.get(traitId);
    if (days === undefined) this.byTrait.set(traitId, (days = new Map<number, Bitmap>()));
    const bitmap = days.get(day);
    // a new day's bitmap is made from its first batch: one native call, not two
    if (bitmap === undefined) days.set(day, new RoaringBitmap32(profiles));
    else addAll(bitmap, profiles);
    const holders = this.holdersByTrait.get(traitId);
    if (holders !== undefined) addAll(holders, profiles);
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

  add(p: number, traitId: number, ts: number): void {
    this.buffers.add(p, traitId, dayOf(ts));
  }

  /** Removes `p` from the days its realisations (still in `lists`) fall on: the fast path. */
  removeListed(p: number, lists: RealisationLists): void {
    this.flush();
    for (let s = lists.head[p] ?? NONE; s !== NONE; s = lists.next[s] ?? NONE) {
      const traitId = lists.trait[s] ?? 0;
      this.byTrait
        .get(traitId)
        ?.get(dayOf(lists.ts[s] ?? 0))
        ?.delete(p);
      this.holdersByTrait.get(traitId)?.delete(p);
    }
  }

  /** Removes the profiles from every bitmap: the slow path, when their realisations are gone. */
  removeEverywhere(dead: ReadonlyBitmap): void {
    this.flush();
    if (dead.isEmpty) return;
    for (const days of this.byTrait.values()) for (const b of days.values()) b.andNotInPlace(dead);
    for (const b of this.holdersByTrait.values()) b.andNotInPlace(dead);
  }

  clearTrait(traitId: number): void {
    this.flush();
    this.byTrait.delete(traitId);
    this.holdersByTrait.delete(traitId);
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
      for (const [day, bitmap] of days) {
        if ((day + 1) * DAY_MS <= cutoff) {
          days.delete(day);
          changed = true;
        } else if (day * DAY_MS <= cutoff) {
          for (const p of bitmap.toUint32Array()) {
            if (!realisedOnDay(lists, p, traitId, day)) bitmap.delete(p);
          }
          changed = true;
        }
        if (bitmap.isEmpty) days.delete(day);
      }
      if (days.size === 0) this.clearTrait(traitId);
      else if (changed) this.holdersByTrait.delete(traitId);
    }
  }

  /** Rebuilds every bitmap from the store's live profiles and their realisation lists. */
  build(view: ProfileColumnsView): void {
    this.buffers.clear();
    this.byTrait.clear();
    this.holdersByTrait.clear();
    const lists = view.realisations;
    const members = new Map<number, Map<number, number[]>>();
    for (let p = 0; p < view.highWater; p++) {
      if (view.live[p] !== 1) continue;
      for (let s = lists.head[p] ?? NONE; s !== NONE; s = lists.next[s] ?? NONE) {
        const traitId = lists.trait[s] ?? 0;
        const day = dayOf(lists.ts[s] ?? 0);
        let days = members.get(traitId);
        if (days === undefined) members.set(traitId, (days = new Map<number, number[]>()));
        const list = days.get(day);
        if (list === undefined) days.set(day, [p]);
        else if (list[list.length - 1] !== p) list.push(p);
      }
    }
    for (const [traitId, days] of members) {
      const bitmaps = new Map<number, Bitmap>();
      for (const [day, list] of days) bitmaps.set(day, new RoaringBitmap32(Uint32Array.from(list)));
      this.byTrait.set(traitId, bitmaps);
    }
  }
}

const EMPTY: ReadonlyBitmap = new RoaringBitmap32();

/** Adds the values: a native call each when they are few (a call of `addMany` costs several), else one. */
function addAll(bitmap: Bitmap, values: Uint32Array): void {
  if (values.length < 4) for (let i = 0; i < values.length; i++) bitmap.add(values[i] ?? 0);
  else bitmap.addMany(values);
}

/** Whether the store holds a realisation of the trait for `p` on UTC day `day`. */
function realisedOnDay(lists: RealisationLists, p: number, traitId: number, day: number): boolean {
  const start = day * DAY_MS;
  for (let s = lists.head[p] ?? NONE; s !== NONE; s = lists.next[s] ?? NONE) {
    const ts = lists.ts[s] ?? 0;
    if (ts < start) return false;
    if (lists.trait[s] === traitId && dayOf(ts) === day) return true;
  }
  return false;
}
