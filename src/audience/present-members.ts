import { RoaringBitmap32, bitmapOfSorted, orAndDispose, type Bitmap, type ReadonlyBitmap } from './bitmap.ts';
import { keptOnDay, timesOfCutDay } from './cut-days.ts';
import { scanMembers } from './scan-members.ts';
import { dayBitmap, type TraitWindow } from './trait-query.ts';

/**
 * The profiles of `universe` holding at least one realisation in the window (a trait reference without
 * count tests), by bitmap arithmetic: the members of the inside days (`insideMembers`), plus, for each
 * cut day, those of its members not found yet whose realisations that day fall in the window (from the
 * day's memoised times, or each one's own list in the store).
 *
 * Example: `presentMembers(windowOf(query, data, lists, now), live).size`.
 */
export function presentMembers(window: TraitWindow, universe: ReadonlyBitmap): Bitmap {
  const members = insideMembers(window, universe);
  for (const day of window.cut) {
    const dayMembers = dayBitmap(window.data, day);
    const edge = RoaringBitmap32.and(dayMembers, universe).andNotInPlace(members);
    if (!edge.isEmpty) orAndDispose(members, edgeMembers(window, day, dayMembers, edge));
    edge.dispose();
  }
  return members;
}

/**
 * The profiles of `universe` in any of the inside days: the union of all but the latest memoised, the
 * latest day (the one today's additions change) added to it.
 */
function insideMembers(window: TraitWindow, universe: ReadonlyBitmap): Bitmap {
  const { inside, data } = window;
  if (inside.length < 2) return RoaringBitmap32.and(dayBitmap(data, inside[0] ?? NaN), universe);
  const latest = Math.max(...inside);
  const members = RoaringBitmap32.and(data.union(inside.filter((d) => d !== latest)), universe);
  const last = data.days?.get(latest);
  if (last !== undefined) orAndDispose(members, RoaringBitmap32.and(last, universe));
  return members;
}

/** The profiles of `edge` (members of cut day `day`) with a realisation that day inside the window. */
function edgeMembers(window: TraitWindow, day: number, dayMembers: ReadonlyBitmap, edge: Bitmap): Bitmap {
  const times = timesOfCutDay(window, day, dayMembers, edge.size);
  if (times === undefined) {
    const { lists } = window;
    const traitId = window.query.traitId;
    const part = keptOnDay(window, day);
    return scanMembers(edge, (p) => lists.countIn(p, traitId, part, 1) > 0);
  }
  const { scratch } = window.data;
  const n = scratch.count(times, window, day);
  return bitmapOfSorted(scratch.profiles, n).andInPlace(edge);
}
