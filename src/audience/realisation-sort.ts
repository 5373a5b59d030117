import type { ProfileColumnsView } from '../profiles/profile-store.ts';
import { DAY_MS } from '../core/clock.ts';

/**
 * The realisations of a range of profiles as parallel arrays sorted by trait, then day, then profile
 * (ascending; a profile appears once per realisation, so repeats are adjacent): each run of one (trait,
 * day) is that day bitmap's members and their counts. Valid until the next `sortRealisations` with the
 * same `into`.
 */
export interface SortedRealisations {
  count: number;
  traits: Uint32Array;
  days: Int32Array;
  profiles: Uint32Array;
  /** the latest realisation time gathered (-Infinity when none) */
  latest: number;
}

/** Reusable arrays for `sortRealisations` (grown as needed). */
export class SortScratch {
  traits = new Uint32Array(0);
  days = new Int32Array(0);
  profiles = new Uint32Array(0);
  sortedTraits = new Uint32Array(0);
  sortedDays = new Int32Array(0);
  sortedProfiles = new Uint32Array(0);
  /** where each item goes in a counting sort */
  order = new Uint32Array(0);

  /** Room for `n` realisations (what the arrays held is lost). */
  ensure(n: number): void {
    if (this.traits.length >= n) return;
    const size = Math.max(n, Math.ceil(this.traits.length * 1.5));
    this.traits = new Uint32Array(size);
    this.days = new Int32Array(size);
    this.profiles = new Uint32Array(size);
    this.sortedTraits = new Uint32Array(size);
    this.sortedDays = new Int32Array(size);
    this.sortedProfiles = new Uint32Array(size);
    this.order = new Uint32Array(size);
  }
}

/**
 * Gathers every realisation of the live profiles in `[start, end)` and sorts them by (trait, day,
 * profile) with two stable counting sorts (by day, then by trait): no JS object or `Map` per
 * realisation, which at 10M profiles (2.7 billion realisations) is the difference between seconds and
 * most of an hour. Example: `const s = sortRealisations(view, 0, 1 << 17, scratch)`.
 */
export function sortRealisations(
  view: ProfileColumnsView,
  start: number,
  end: number,
  into: SortScratch,
): SortedRealisations {
  const lists = view.realisations;
  let total = 0;
  for (let p = start; p < end; p++) if (view.live[p] === 1) total += lists.held(p);
  into.ensure(total);
  let n = 0;
  let minDay = Infinity;
  let maxDay = -Infinity;
  let maxTrait = 0;
  let latest = -Infinity;
  for (let p = start; p < end; p++) {
    if (view.live[p] !== 1) continue;
    const k = lists.load(p);
    const { trait, ts } = lists;
    const { traits, days, profiles } = into;
    for (let i = 0; i < k; i++) {
      const t = trait[i] as number;
      const time = ts[i] as number;
      const day = Math.floor(time / DAY_MS); // the UTC day, as `dayOf`
      if (time > latest) latest = time;
      traits[n] = t;
      days[n] = day;
      profiles[n++] = p;
      if (day < minDay) minDay = day;
      if (day > maxDay) maxDay = day;
      if (t > maxTrait) maxTrait = t;
    }
  }
  if (n === 0) return { count: 0, traits: into.traits, days: into.days, profiles: into.profiles, latest };
  // by day into the sorted arrays, then by trait back into the gathering arrays: both stable, so each
  // (trait, day) run keeps the profiles in the ascending order they were gathered in
  const keys = into.order;
  for (let i = 0; i < n; i++) keys[i] = (into.days[i] as number) - minDay;
  permute(into, countingOrder(keys, n, maxDay - minDay + 1), n, false);
  const slots = traitSlots(into.sortedTraits, n, maxTrait, keys);
  permute(into, countingOrder(keys, n, slots), n, true);
  return { count: n, traits: into.traits, days: into.days, profiles: into.profiles, latest };
}

/**
 * Replaces each of the first `n` keys (0 .. keys-1) by its item's destination in a stable counting sort,
 * and returns the array. The arrays are reused: on this kind of machine a first touch of fresh memory
 * costs about as much as the sort itself.
 */
function countingOrder(order: Uint32Array, n: number, keys: number): Uint32Array {
  const starts = new Uint32Array(keys + 1);
  for (let i = 0; i < n; i++) starts[(order[i] as number) + 1]!++;
  for (let k = 0; k < keys; k++) starts[k + 1]! += starts[k]!;
  for (let i = 0; i < n; i++) order[i] = starts[order[i] as number]!++;
  return order;
}

/** Moves item `i` to `to[i]`: from the gathering arrays into the sorted ones, or (`back`) the other way. */
function permute(s: SortScratch, to: Uint32Array, n: number, back: boolean): void {
  const [ft, fd, fp] = back
    ? [s.sortedTraits, s.sortedDays, s.sortedProfiles]
    : [s.traits, s.days, s.profiles];
  const [tt, td, tp] = back
    ? [s.traits, s.days, s.profiles]
    : [s.sortedTraits, s.sortedDays, s.sortedProfiles];
  for (let i = 0; i < n; i++) {
    const j = to[i] as number;
    tt[j] = ft[i] as number;
    td[j] = fd[i] as number;
    tp[j] = fp[i] as number;
  }
}

/**
 * Writes into `keys` a dense number for each of the first `n` trait ids (ascending id order, from 0)
 * and returns how many distinct ids there are.
 */
function traitSlots(traits: Uint32Array, n: number, maxTrait: number, keys: Uint32Array): number {
  if (maxTrait < 1 << 22) {
    const slot = new Int32Array(maxTrait + 1).fill(-1);
    for (let i = 0; i < n; i++) slot[traits[i] as number] = 0;
    let size = 0;
    for (let id = 0; id <= maxTrait; id++) if (slot[id] === 0) slot[id] = size++;
    for (let i = 0; i < n; i++) keys[i] = slot[traits[i] as number] as number;
    return size;
  }
  const ids = [...new Set(traits.subarray(0, n))].sort((a, b) => a - b);
  const slot = new Map(ids.map((id, i) => [id, i]));
  for (let i = 0; i < n; i++) keys[i] = slot.get(traits[i] as number) as number;
  return ids.length;
}

/**
 * Calls `visit` for each (trait, day) run of sorted realisations with its profiles once each, ascending
 * (`unique`), and those realised there more than once with how many times beyond the first (`repeated`,
 * `extra`). The arrays are reused from run to run: read them before the next.
 * Example: `forEachDayRun(sorted, (traitId, day, unique) => dayBitmap(traitId, day).addMany(unique))`.
 */
export function forEachDayRun(
  sorted: SortedRealisations,
  visit: (
    traitId: number,
    day: number,
    unique: Uint32Array,
    repeated: Uint32Array,
    extra: Uint32Array,
  ) => void,
): void {
  const { traits, days, profiles } = sorted;
  let members = new Uint32Array(0);
  let counts = new Uint32Array(0);
  let repeated = new Uint32Array(0);
  let extra = new Uint32Array(0);
  let i = 0;
  while (i < sorted.count) {
    // one (trait, day): its profiles ascending, a profile once per realisation
    const traitId = traits[i] as number;
    const day = days[i] as number;
    let j = i;
    while (j < sorted.count && traits[j] === traitId && days[j] === day) j++;
    if (members.length < j - i) {
      members = new Uint32Array(j - i);
      counts = new Uint32Array(j - i);
      repeated = new Uint32Array(j - i);
      extra = new Uint32Array(j - i);
    }
    let m = 0;
    let r = 0;
    for (let k = i; k < j; k++) {
      const p = profiles[k] as number;
      if (m > 0 && members[m - 1] === p) counts[m - 1] = (counts[m - 1] as number) + 1;
      else {
        members[m] = p;
        counts[m++] = 0;
      }
    }
    if (m < j - i)
      // the repeats: a profile's realisations beyond the first that day
      for (let k = 0; k < m; k++) {
        if ((counts[k] as number) === 0) continue;
        repeated[r] = members[k] as number;
        extra[r++] = counts[k] as number;
      }
    visit(traitId, day, members.subarray(0, m), repeated.subarray(0, r), extra.subarray(0, r));
    i = j;
  }
}
