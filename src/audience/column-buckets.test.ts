import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DAY_MS } from '../core/clock.ts';
import type { ProfileColumnsView } from '../profiles/profile-store.ts';
import { RoaringBitmap32 } from './bitmap.ts';
import { COUNT_TOP, ColumnBuckets, columnOf } from './column-buckets.ts';
import type { ScanRange } from './fast-scan-test.ts';
import type { ScanPath } from './plan-node.ts';

const PATHS: ScanPath[] = ['visits', 'pageviews', 'first_seen', 'last_seen'];
const day = 20_000 * DAY_MS;
// counts around the top bucket; times on and around day edges, fractional, before 1970, and never seen
const count = fc.oneof(fc.nat({ max: 6 }), fc.integer({ min: COUNT_TOP - 2, max: COUNT_TOP + 2 }));
const time = fc.oneof(
  fc.integer({ min: -2, max: 2 }).map((d) => day + d * DAY_MS),
  fc.integer({ min: -2, max: 2 }).map((d) => day + d * DAY_MS - 1),
  fc.integer({ min: -3 * DAY_MS, max: 3 * DAY_MS }).map((ms) => day + ms),
  fc.constantFrom(day + 0.5, day - 0.5, -DAY_MS * 3, NaN),
);
const row = fc.record({
  live: fc.boolean(),
  visits: count,
  pageviews: count,
  firstSeen: time,
  lastSeen: time,
});
const bound = fc.oneof(
  count,
  time.filter((t) => !Number.isNaN(t)),
  fc.constantFrom(-Infinity, Infinity, 2.5),
);
const range: fc.Arbitrary<ScanRange> = fc.record({
  low: bound,
  lowIn: fc.boolean(),
  high: bound,
  highIn: fc.boolean(),
});

type Row = { live: boolean; visits: number; pageviews: number; firstSeen: number; lastSeen: number };

function viewOf(rows: readonly Row[]): ProfileColumnsView {
  const n = rows.length;
  return {
    highWater: n,
    live: Uint8Array.from(rows.map((r) => (r.live ? 1 : 0))),
    visits: Uint32Array.from(rows.map((r) => r.visits)),
    pageviews: Uint32Array.from(rows.map((r) => r.pageviews)),
    firstSeen: Float64Array.from(rows.map((r) => r.firstSeen)),
    lastSeen: Float64Array.from(rows.map((r) => r.lastSeen)),
    country: new Uint32Array(n),
    region: new Uint32Array(n),
    city: new Uint32Array(n),
    deviceType: new Uint32Array(n),
    os: new Uint32Array(n),
    browser: new Uint32Array(n),
    realisations: undefined as never,
    string: () => undefined,
    hasId: () => false,
  };
}

void it('column buckets: a range holds exactly the candidates whose value lies in it, built or kept by changes', () => {
  fc.assert(
    fc.property(
      fc.array(row, { minLength: 1, maxLength: 60 }),
      fc.array(row, { minLength: 1, maxLength: 60 }),
      fc.array(fc.boolean(), { maxLength: 60 }),
      fc.constantFrom(...PATHS),
      range,
      (before, after, inUniverse, path, r) => {
        const rows = after.slice(0, before.length);
        const old = viewOf(before);
        const view = viewOf([...rows, ...before.slice(rows.length)]);
        const built = new ColumnBuckets();
        built.build(view);
        const kept = new ColumnBuckets();
        kept.build(old);
        for (let p = 0; p < view.highWater; p++) {
          if (view.live[p] === 1) kept.set(p, view);
          else kept.clear(p);
        }
        const universe: number[] = [];
        for (let p = 0; p < view.highWater; p++)
          if (view.live[p] === 1 && inUniverse[p] !== false) universe.push(p);
        const column = columnOf(path, view);
        const expected = universe.filter((p) => {
          const v = column[p] as number;
          return (r.lowIn ? v >= r.low : v > r.low) && (r.highIn ? v <= r.high : v < r.high);
        });
        for (const buckets of [built, kept]) {
          const members = buckets.members(path, r, new RoaringBitmap32(universe), view);
          if (members !== undefined) assert.deepEqual(members.toArray(), expected);
        }
      },
    ),
    { numRuns: 2000 },
  );
});

void it('column buckets: left to a scan when the candidates are few against the buckets', () => {
  const rows = Array.from({ length: 100 }, (_, p) => ({
    live: true,
    visits: p % 3,
    pageviews: 0,
    firstSeen: day,
    lastSeen: day,
  }));
  const buckets = new ColumnBuckets();
  buckets.build(viewOf(rows));
  const all = { low: 0, lowIn: true, high: 5, highIn: true };
  assert.equal(buckets.members('visits', all, new RoaringBitmap32([1, 2]), viewOf(rows)), undefined);
  assert.equal(
    buckets.members('visits', all, new RoaringBitmap32(rows.map((_, p) => p)), viewOf(rows))?.size,
    100,
  );
});
