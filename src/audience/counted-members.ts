import { countPasses } from '../core/rules/trait-window.ts';
import {
  RoaringBitmap32,
  bitmapOfSorted,
  orAndDispose,
  unionOf,
  type Bitmap,
  type ReadonlyBitmap,
} from './bitmap.ts';
import { AT_LEAST, windowCounts } from './count-days.ts';
import { cutDayCounter } from './cut-days.ts';
import { slicedMembers } from './sliced-counts.ts';
import { dayBitmap, type TraitWindow } from './trait-query.ts';

/**
 * The profiles of `universe` whose count of realisations in the window passes its count tests, from the
 * day bitmaps and their count levels. When every value tested is small (`window.runs`), by bitmap
 * arithmetic over the passing runs of counts (`slicedMembers`); else a count per candidate
 * (`windowCounts`: the inside days' counts, the cut days counted in the window), and a candidate whose
 * count is only a lower bound that does not decide is counted in the store. When a count of 0 passes
 * (`count == 0`, `count < 3`), profiles with no realisation in the window are members too.
 *
 * Example: `countedMembers(windowOf(query, data, lists, now), live).size`.
 */
export function countedMembers(window: TraitWindow, universe: ReadonlyBitmap): Bitmap {
  const { inside, cut, data, runs } = window;
  if (runs !== undefined)
    return slicedMembers(runs, inside, cut, data, cutDayCounter(window, universe, false), universe);
  const days = unionOf([data.union(inside), ...cut.map((day) => dayBitmap(data, day))]);
  const candidates = RoaringBitmap32.and(days, universe);
  const whole = candidates.size === days.size;
  days.dispose();
  const passing = passingCandidates(window, candidates, whole);
  if (!countPasses(window.query.windows, 0)) {
    candidates.dispose();
    return passing;
  }
  const members = orAndDispose(RoaringBitmap32.andNot(universe, candidates), passing);
  candidates.dispose();
  return members;
}

/**
 * The `candidates` (every one in a day of the window; `whole`: every member of those days) whose count
 * passes. Past the largest value tested every count test answers the same, so a lower bound there
 * decides; below it, the candidate is counted exactly in the store.
 */
function passingCandidates(window: TraitWindow, candidates: ReadonlyBitmap, whole: boolean): Bitmap {
  const { query, lists, kept } = window;
  const { profiles, counts } = windowCounts(
    candidates,
    whole,
    window.inside,
    window.cut,
    window.data,
    cutDayCounter(window, candidates, whole),
  );
  const decided = Math.max(...query.windows.counts.map((c) => c.value)) + 1;
  let n = 0;
  for (let i = 0; i < profiles.length; i++) {
    const p = profiles[i] as number;
    const c = counts[i] as number;
    const bound = c & ~AT_LEAST;
    const known = (c & AT_LEAST) === 0 || bound >= decided;
    const count = known ? bound : lists.countIn(p, query.traitId, kept);
    if (countPasses(query.windows, count)) profiles[n++] = p;
  }
  return bitmapOfSorted(profiles, n);
}
