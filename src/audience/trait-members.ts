import { DAY_MS } from '../core/clock.ts';
import type { WindowPlan } from '../core/rules/trait-window.ts';
import { countPasses, keptHigh, keptLow } from '../core/rules/trait-window.ts';
import type { RealisationLists } from '../profiles/profile-store.ts';
import { RoaringBitmap32, unionOf, type Bitmap, type ReadonlyBitmap } from './bitmap.ts';
import { scanMembers } from './scan-members.ts';

const NONE = -1;

/** A trait reference resolved against the catalog: its id, lifetime and windows. */
export interface TraitQuery {
  traitId: number;
  lifetimeMs: number;
  windows: WindowPlan;
}

/**
 * The profiles of `universe` for which `trait:x[windows]` holds at `now`, exactly as the per-profile
 * predicate: the kept interval is `(lo, hi]` (`keptLow`, `keptHigh`); days wholly inside it are taken as
 * they are, days it cuts are checked against the exact times in the store's lists. With count tests,
 * every candidate's kept realisations are counted; when a count of 0 passes (`count == 0`, `count < 3`),
 * profiles with no realisation in the interval are members too.
 *
 * Example: `traitMembers(q, days.daysOf(q.traitId), live, lists, now).size`.
 */
export function traitMembers(
  q: TraitQuery,
  days: ReadonlyMap<number, ReadonlyBitmap> | undefined,
  universe: ReadonlyBitmap,
  lists: RealisationLists,
  now: number,
): Bitmap {
  const lo = keptLow(q.windows, q.lifetimeMs, now);
  const hi = keptHigh(q.windows, now);
  const zeroPasses = countPasses(q.windows, 0);
  const inside: ReadonlyBitmap[] = [];
  const cut: ReadonlyBitmap[] = [];
  let touched = 0;
  if (lo < hi && days !== undefined) {
    for (const [day, bitmap] of days) {
      const start = day * DAY_MS;
      if (start + DAY_MS <= lo || start > hi) continue;
      if (start > lo && start + DAY_MS <= hi) inside.push(bitmap);
      else cut.push(bitmap);
      touched += bitmap.size;
    }
  }
  if (inside.length === 0 && cut.length === 0) return zeroPasses ? universe.clone() : new RoaringBitmap32();
  const exact = (p: number): boolean => countPasses(q.windows, countIn(lists, p, q.traitId, lo, hi));
  // few candidates: count each one rather than combine the days
  if (universe.size * 4 < touched) return scanMembers(universe, exact);
  if (q.windows.counts.length === 0) {
    const members = RoaringBitmap32.and(unionOf(inside), universe);
    const edge = RoaringBitmap32.and(unionOf(cut), universe).andNotInPlace(members);
    return members.orInPlace(scanMembers(edge, exact));
  }
  const candidates = RoaringBitmap32.and(unionOf([...inside, ...cut]), universe);
  const passing = scanMembers(candidates, exact);
  return zeroPasses ? RoaringBitmap32.andNot(universe, candidates).orInPlace(passing) : passing;
}

/** How many realisations of the trait `p` holds in `(lo, hi]`: the arena's own count, on its lists. */
function countIn(lists: RealisationLists, p: number, traitId: number, lo: number, hi: number): number {
  let n = 0;
  for (let s = lists.head[p] ?? NONE; s !== NONE; s = lists.next[s] ?? NONE) {
    const t = lists.ts[s] ?? 0;
    if (t <= lo) break;
    if (t <= hi && lists.trait[s] === traitId) n++;
  }
  return n;
}
