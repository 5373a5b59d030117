import type { RealisationLists, SnapshotPart, TraitSummary } from './profile-store.ts';
import { columnPart, integer, jsonPart, type SnapshotReader } from './snapshot-parts.ts';
import { grown, nextCapacity } from './typed-arrays.ts';

const NONE = -1;

/**
 * The realisations of one tenant's profiles: every (profile, trait, time), times exact to the ms.
 *
 * Layout: an arena of parallel typed arrays, one slot per realisation (`trait` Uint32, `ts` Float64,
 * `next` Int32: 16 bytes a slot, plus up to 2x slack from growth by doubling), a list head per profile
 * (Int32, 4 bytes a profile), and a free list threaded through `next` so freed slots are reused.
 * Each profile's list is kept in descending time order (newest first): realisations mostly arrive in
 * time order, so an insert is O(1) at the head, and a window count stops at the window's lower edge.
 * The cost: a count walks the profile's realisations of every trait down to that edge (about 10 per
 * profile in the standard data set); a per-(profile, trait) chunk would walk only one trait's times
 * but costs a head per pair. See README.md for the measured figures.
 *
 * Example:
 * ```ts
 * const arena = new RealisationArena();
 * arena.ensureProfiles(1);
 * arena.add(0, 7, 1_000);
 * arena.count(0, 7, 999, 1_000); // 1: window (999, 1000]
 * ```
 */
export class RealisationArena {
  private trait = new Uint32Array(16);
  private ts = new Float64Array(16);
  private next = new Int32Array(16).fill(NONE);
  private head = new Int32Array(16).fill(NONE);
  private freeSlot = NONE;
  private used = 0;
  private live = 0;

  /** Makes room for profile indexes below `capacity`. */
  ensureProfiles(capacity: number): void {
    if (capacity > this.head.length)
      this.head = grown(this.head, nextCapacity(this.head.length, capacity), NONE);
  }

  /** Records that profile `p` realised `traitId` at `ts`. */
  add(p: number, traitId: number, ts: number): void {
    const slot = this.allocate();
    this.trait[slot] = traitId;
    this.ts[slot] = ts;
    let before = NONE;
    let s = this.head[p] ?? NONE;
    while (s !== NONE && (this.ts[s] ?? 0) > ts) {
      before = s;
      s = this.next[s] ?? NONE;
    }
    this.next[slot] = s;
    if (before === NONE) this.head[p] = slot;
    else this.next[before] = slot;
    this.live++;
  }

  /** How many realisations of the trait the profile has at `t` with `afterExclusive < t <= atOrBefore`. */
  count(p: number, traitId: number, afterExclusive: number, atOrBefore: number): number {
    let n = 0;
    for (let s = this.head[p] ?? NONE; s !== NONE; s = this.next[s] ?? NONE) {
      const t = this.ts[s] ?? 0;
      if (t <= afterExclusive) break;
      if (t <= atOrBefore && this.trait[s] === traitId) n++;
    }
    return n;
  }

  /** The profile's realisation times grouped by trait, newest first: one walk, for many questions. */
  timesByTrait(p: number): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (let s = this.head[p] ?? NONE; s !== NONE; s = this.next[s] ?? NONE) {
      const trait = this.trait[s] ?? 0;
      const list = out.get(trait);
      if (list === undefined) out.set(trait, [this.ts[s] ?? 0]);
      else list.push(this.ts[s] ?? 0);
    }
    return out;
  }

  /** The profile's realisation times of the trait, ascending. */
  times(p: number, traitId: number): number[] {
    const out: number[] = [];
    for (let s = this.head[p] ?? NONE; s !== NONE; s = this.next[s] ?? NONE) {
      if (this.trait[s] === traitId) out.push(this.ts[s] ?? 0);
    }
    return out.reverse();
  }

  /** Per trait of the profile: how many realisations, the first and the last time; by trait id. */
  summaries(p: number): TraitSummary[] {
    const byTrait = new Map<number, TraitSummary>();
    for (let s = this.head[p] ?? NONE; s !== NONE; s = this.next[s] ?? NONE) {
      const traitId = this.trait[s] ?? 0;
      const t = this.ts[s] ?? 0;
      const summary = byTrait.get(traitId);
      if (summary === undefined) byTrait.set(traitId, { traitId, count: 1, first: t, last: t });
      else {
        summary.count++;
        summary.first = t; // the list is newest first, so the last one seen is the first in time
      }
    }
    return [...byTrait.values()].sort((a, b) => a.traitId - b.traitId);
  }

  /** The time of the profile's newest realisation; NaN when it has none. */
  newest(p: number): number {
    const s = this.head[p] ?? NONE;
    return s === NONE ? NaN : (this.ts[s] ?? NaN);
  }

  /** Removes the profile's realisations for which `drop(traitId, ts)` is true; returns how many. */
  removeWhere(p: number, drop: (traitId: number, ts: number) => boolean): number {
    let removed = 0;
    let before = NONE;
    let s = this.head[p] ?? NONE;
    while (s !== NONE) {
      const following = this.next[s] ?? NONE;
      if (drop(this.trait[s] ?? 0, this.ts[s] ?? 0)) {
        if (before === NONE) this.head[p] = following;
        else this.next[before] = following;
        this.release(s);
        removed++;
      } else before = s;
      s = following;
    }
    return removed;
  }

  /** Removes every realisation of the profile; returns how many. */
  removeAll(p: number): number {
    let removed = 0;
    let s = this.head[p] ?? NONE;
    while (s !== NONE) {
      const following = this.next[s] ?? NONE;
      this.release(s);
      removed++;
      s = following;
    }
    this.head[p] = NONE;
    return removed;
  }

  /** The arrays of the lists, read-only, for scans; valid until the next `add` or `ensureProfiles`. */
  lists(): RealisationLists {
    return { head: this.head, next: this.next, trait: this.trait, ts: this.ts };
  }

  /** How many realisations are held. */
  size(): number {
    return this.live;
  }

  /** How many slots have ever been used (the arena's high-water mark; freed slots are reused first). */
  slotsUsed(): number {
    return this.used;
  }

  /** The arena as snapshot parts (named `realisations.*`), for profiles below `profiles`. */
  snapshot(profiles: number): SnapshotPart[] {
    const { used, live, freeSlot } = this;
    return [
      jsonPart('realisations.meta', { used, live, freeSlot, profiles }),
      columnPart('realisations.trait', this.trait, used),
      columnPart('realisations.ts', this.ts, used),
      columnPart('realisations.next', this.next, used),
      columnPart('realisations.head', this.head, profiles),
    ];
  }

  /** The arena of `snapshot`'s parts, with room for profiles below `capacity`. */
  static restore(reader: SnapshotReader, capacity: number): RealisationArena {
    const meta = reader.json('realisations.meta') as Record<string, unknown>;
    const arena = new RealisationArena();
    const used = (arena.used = integer(meta.used, 'realisations used'));
    arena.live = integer(meta.live, 'realisations live');
    arena.freeSlot = integer(meta.freeSlot, 'realisations freeSlot', NONE);
    const room = nextCapacity(16, used);
    arena.trait = reader.column('realisations.trait', Uint32Array, used, room);
    arena.ts = reader.column('realisations.ts', Float64Array, used, room);
    arena.next = reader.column('realisations.next', Int32Array, used, room, NONE);
    const profiles = integer(meta.profiles, 'realisations profiles');
    const heads = nextCapacity(16, Math.max(profiles, capacity));
    arena.head = reader.column('realisations.head', Int32Array, profiles, heads, NONE);
    return arena;
  }

  private allocate(): number {
    if (this.freeSlot !== NONE) {
      const slot = this.freeSlot;
      this.freeSlot = this.next[slot] ?? NONE;
      return slot;
    }
    if (this.used === this.ts.length) {
      const capacity = nextCapacity(this.ts.length, this.used + 1);
      this.trait = grown(this.trait, capacity);
      this.ts = grown(this.ts, capacity);
      this.next = grown(this.next, capacity, NONE);
    }
    return this.used++;
  }

  private release(slot: number): void {
    this.next[slot] = this.freeSlot;
    this.freeSlot = slot;
    this.live--;
  }
}
