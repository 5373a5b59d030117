import { countPasses } from '../core/rules/trait-window.ts';
import type { RealisationLists } from '../profiles/profile-store.ts';
import { RoaringBitmap32, type Bitmap, type ReadonlyBitmap } from './bitmap.ts';
import { countedMembers } from './counted-members.ts';
import { presentMembers } from './present-members.ts';
import { scanMembers } from './scan-members.ts';
import { windowOf, type TraitDayData, type TraitQuery, type TraitWindow } from './trait-query.ts';

export type { TraitDayData, TraitQuery } from './trait-query.ts';

/** how many members of day bitmaps a union goes through in the time of one candidate's walk */
const WALK_PER_MEMBER = 256;

/**
 * The profiles of `universe` for which `trait:x[windows]` holds at `now`, exactly as the per-profile
 * predicate: the kept interval is `(lo, hi]` (`keptLow`, `keptHigh`); days wholly inside it are taken as
 * they are, days it cuts are checked against the exact times in the store's lists (`windowOf`).
 *
 * Three strategies, picked by what each would cost here:
 * - few candidates (`fewCandidates`): each one counted in the store (`scannedMembers`), rather than the
 *   days combined;
 * - no count test: the profiles with any realisation in the window, by unions (`presentMembers`);
 * - count tests: counts from the day bitmaps and their count levels (`countedMembers`).
 *
 * Example: `traitMembers(q, { days: days.daysOf(id), levels: days.levelsOf(id), union, ... }, live, lists, now).size`.
 */
export function traitMembers(
  q: TraitQuery,
  data: TraitDayData,
  universe: ReadonlyBitmap,
  lists: RealisationLists,
  now: number,
): Bitmap {
  const window = windowOf(q, data, lists, now);
  if (window.inside.length === 0 && window.cut.length === 0)
    return countPasses(q.windows, 0) ? universe.clone() : new RoaringBitmap32();
  if (fewCandidates(window, universe)) return scannedMembers(window, universe);
  if (q.windows.counts.length === 0) return presentMembers(window, universe);
  return countedMembers(window, universe);
}

/** Each candidate's count in the window read from its list in the store (stopping at the first without count tests). */
function scannedMembers(window: TraitWindow, universe: ReadonlyBitmap): Bitmap {
  const { lists, kept } = window;
  const { traitId, windows } = window.query;
  if (windows.counts.length === 0)
    return scanMembers(universe, (p) => lists.countIn(p, traitId, kept, 1) > 0);
  return scanMembers(universe, (p) => countPasses(windows, lists.countIn(p, traitId, kept)));
}

/**
 * Whether counting each candidate in the store is cheaper than combining the days. A candidate's walk of
 * its list (hundreds of random reads) costs about a native call, or a union of hundreds of members. What
 * a query combines itself is the days it cuts and the latest inside day: the inside days before it come
 * from counts memoised once for every later query (`data.union`, `data.slices`) — unless the count tests
 * need a count per candidate (`windowCounts`), which reads every inside day and its levels.
 */
function fewCandidates(window: TraitWindow, universe: ReadonlyBitmap): boolean {
  const { inside, cut, data } = window;
  const counting = window.query.windows.counts.length > 0;
  const memoised = !counting || (window.runs !== undefined && data.slices !== undefined);
  const combined = memoised && inside.length > 0 ? [Math.max(...inside)] : inside;
  if (counting) return universe.size < bitmapCalls(window, combined);
  return universe.size * WALK_PER_MEMBER < membersOf(window, combined) + membersOf(window, cut);
}

/** How many members the days' bitmaps hold together. */
function membersOf(window: TraitWindow, days: readonly number[]): number {
  let n = 0;
  for (const day of days) n += window.data.days?.get(day)?.size ?? 0;
  return n;
}

/** How many bitmaps (days and their count levels) counting reads: the `inside` days given and every cut day. */
function bitmapCalls(window: TraitWindow, inside: readonly number[]): number {
  const levels = window.data.levels;
  let n = inside.length + window.cut.length;
  if (levels !== undefined) for (const day of inside) n += levels.get(day)?.length ?? 0;
  return n;
}
