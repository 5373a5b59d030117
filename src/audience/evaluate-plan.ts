import type { ProfileColumnsView } from '../profiles/profile-store.ts';
import {
  RoaringBitmap32,
  bitmapOfSorted,
  orAndDispose,
  unionOf,
  type Bitmap,
  type ReadonlyBitmap,
} from './bitmap.ts';
import type { ScanRange } from './fast-scan-test.ts';
import { planCost, type PlanNode, type ScanPath } from './plan-node.ts';
import { scanMembers } from './scan-members.ts';
import type { TraitDays } from './trait-days.ts';
import { traitMembers } from './trait-members.ts';
import type { ValueBitmaps } from './value-bitmaps.ts';
import { columnOf, type ColumnBuckets } from './column-buckets.ts';
import type { IdTypeBitmaps } from './id-type-bitmaps.ts';

/**
 * The members of another segment at `now` (the caller memoises and breaks cycles); `undefined` is empty.
 * Example: `(id, now) => memo.get(id) ?? index.evaluate(plans.get(id)!, now)`.
 */
export type SegmentResolver = (segmentId: number, now: number) => ReadonlyBitmap | undefined;

/** What a plan is evaluated against. Example: `{ view: profiles.columnsView(), now, days, values, segments }`. */
export interface PlanContext {
  view: ProfileColumnsView;
  now: number;
  days: TraitDays;
  values: ValueBitmaps;
  columns: ColumnBuckets;
  ids: IdTypeBitmaps;
  /** every live profile */
  live: ReadonlyBitmap;
  segments: SegmentResolver | undefined;
}

/**
 * The share of its candidates each argument of an `and` kept when last evaluated (plans are compiled once
 * per saved segment or rule, so the next evaluation orders by it).
 */
const observedShare = new WeakMap<PlanNode, number>();

/**
 * The order of an `and`'s arguments: those seen before by the share of candidates they kept, smallest
 * first (the most selective narrows the candidates of all the others); those not seen yet after them,
 * by their kind's cost (`planCost`).
 */
function expectedShare(node: PlanNode): number {
  return observedShare.get(node) ?? 1 + planCost(node);
}

/**
 * The profiles of `universe` (a set of live profiles) that a plan node holds at `ctx.now`; a new bitmap
 * the caller owns. `and` evaluates its most selective arguments first (as last seen, else the cheapest
 * kinds: `expectedShare`), each within the previous one's members;
 * `or` evaluates each argument only within the profiles not yet found; `not` is `universe` minus its
 * argument's members. Every intermediate bitmap is disposed as soon as it is used (ADR 0019): left to
 * the collector, their native memory (hundreds of MB per query at 10M profiles) starts full collections.
 *
 * Example: `evaluatePlan(plan, liveBitmap, ctx).size`.
 */
export function evaluatePlan(node: PlanNode, universe: ReadonlyBitmap, ctx: PlanContext): Bitmap {
  switch (node.kind) {
    case 'none':
      return new RoaringBitmap32();
    case 'all':
      return universe.clone();
    case 'and': {
      let members: Bitmap | undefined;
      for (const arg of [...node.args].sort((a, b) => expectedShare(a) - expectedShare(b))) {
        const among = members ?? universe;
        const within: Bitmap = evaluatePlan(arg, among, ctx);
        observedShare.set(arg, among.isEmpty ? 0 : within.size / among.size);
        members?.dispose();
        members = within;
        if (members.isEmpty) break;
      }
      return members ?? universe.clone();
    }
    case 'or': {
      const members = new RoaringBitmap32();
      for (const arg of node.args) {
        const rest = RoaringBitmap32.andNot(universe, members);
        if (rest.isEmpty) break;
        const found = evaluatePlan(arg, rest, ctx);
        rest.dispose();
        orAndDispose(members, found);
      }
      return members;
    }
    case 'not': {
      const held = evaluatePlan(node.arg, universe, ctx);
      const members = RoaringBitmap32.andNot(universe, held);
      held.dispose();
      return members;
    }
    case 'segment': {
      const members = ctx.segments?.(node.segmentId, ctx.now);
      return members === undefined ? new RoaringBitmap32() : RoaringBitmap32.and(universe, members);
    }
    case 'trait':
      return traitMembers(
        node,
        {
          days: ctx.days.daysOf(node.traitId),
          levels: ctx.days.levelsOf(node.traitId),
          union: (days) => ctx.days.unionOfDays(node.traitId, days),
          slices: (days, k) => ctx.days.slicesOfDays(node.traitId, days, k),
          latest: ctx.days.latestTime(),
          times: (day, read) => ctx.days.timesOfDay(node.traitId, day, ctx.view.realisations, read),
          scratch: ctx.days.cutDayScratch,
        },
        universe,
        ctx.view.realisations,
        ctx.now,
      );
    case 'value':
      return valueMembers(node, universe, ctx);
    case 'scan':
      return node.range === undefined
        ? scanColumn(node.path, node.test, universe, ctx)
        : rangeMembers(node.path, node.range(ctx.now), universe, ctx);
    case 'id':
      return RoaringBitmap32.and(ctx.ids.of(node.type, ctx.view, ctx.live), universe);
  }
}

/** A value test, decided once per distinct value: the union of matching bitmaps, or the rest when absent matches. */
function valueMembers(
  node: PlanNode & { kind: 'value' },
  universe: ReadonlyBitmap,
  ctx: PlanContext,
): Bitmap {
  const absentMatches = node.test(undefined);
  const chosen: ReadonlyBitmap[] = [];
  for (const [id, bitmap] of ctx.values.of(node.path)) {
    if (!bitmap.isEmpty && node.test(ctx.view.string(id)) !== absentMatches) chosen.push(bitmap);
  }
  // one value: its bitmap as it is (a union would copy it, millions of profiles at 10M)
  const union = chosen.length === 1 ? undefined : unionOf(chosen);
  const matching = union ?? (chosen[0] as ReadonlyBitmap);
  const members = absentMatches
    ? RoaringBitmap32.andNot(universe, matching)
    : RoaringBitmap32.and(universe, matching);
  union?.dispose();
  return members;
}

/**
 * The profiles of `universe` whose column value lies in `r`: from the column's buckets, or when the
 * candidates are few, one loop over them with the comparison inlined.
 */
function rangeMembers(path: ScanPath, r: ScanRange, universe: ReadonlyBitmap, ctx: PlanContext): Bitmap {
  const fromBuckets = ctx.columns.members(path, r, universe, ctx.view);
  if (fromBuckets !== undefined) return fromBuckets;
  const column = columnOf(path, ctx.view);
  const absent = path === 'visits' || path === 'pageviews' ? 0 : NaN;
  const { low, lowIn, high, highIn } = r;
  const candidates = universe.toUint32Array();
  let n = 0;
  for (let i = 0; i < candidates.length; i++) {
    const p = candidates[i] as number;
    const v = p < column.length ? (column[p] as number) : absent;
    if ((lowIn ? v >= low : v > low) && (highIn ? v <= high : v < high)) candidates[n++] = p;
  }
  return bitmapOfSorted(candidates, n);
}

function scanColumn(
  path: ScanPath,
  test: (v: number | undefined, now: number) => boolean,
  universe: ReadonlyBitmap,
  ctx: PlanContext,
): Bitmap {
  const { view, now } = ctx;
  if (path === 'visits' || path === 'pageviews') {
    const column = view[path];
    return scanMembers(universe, (p) => test(column[p] ?? 0, now));
  }
  const column = path === 'first_seen' ? view.firstSeen : view.lastSeen;
  return scanMembers(universe, (p) => {
    const t = column[p] ?? NaN;
    return test(Number.isNaN(t) ? undefined : t, now);
  });
}
