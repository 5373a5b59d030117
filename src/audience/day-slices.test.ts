import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DAY_MS } from '../core/clock.ts';
import { RoaringBitmap32 } from './bitmap.ts';
import { DaySlices } from './day-slices.ts';
import { SLICED_MAX } from './sliced-counts.ts';
import { MemoryTenantProfiles } from '../profiles/memory-tenant-profiles.ts';
import { TraitDays } from './trait-days.ts';

const D0 = 20_000;
const step = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('realise' as const),
      p: fc.nat(30),
      day: fc.nat(40),
      times: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: SLICED_MAX + 2 })),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      from: fc.nat(40),
      length: fc.nat(40),
      k: fc.integer({ min: 1, max: SLICED_MAX }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), p: fc.nat(30) }) },
);

void it('counts over ranges of days (memoised by blocks of days) equal counts of the realisations, through changes', () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 30, maxLength: 120, size: 'max' }), (steps) => {
      const days = new TraitDays();
      const held: { p: number; day: number }[] = [];
      for (const s of steps) {
        if (s.kind === 'realise') {
          for (let i = 0; i < s.times; i++) {
            days.add(s.p, 7, (D0 + s.day) * DAY_MS + i);
            held.push({ p: s.p, day: D0 + s.day });
          }
        } else if (s.kind === 'remove') {
          days.removeEverywhere(new RoaringBitmap32([s.p]));
          held.splice(0, held.length, ...held.filter((r) => r.p !== s.p));
        } else {
          const first = D0 + s.from;
          const last = first + s.length;
          const range = [...(days.daysOf(7)?.keys() ?? [])].filter((d) => d >= first && d <= last);
          if (range.length === 0) continue;
          const counts = new Map<number, number>();
          for (const r of held)
            if (r.day >= first && r.day <= last) counts.set(r.p, (counts.get(r.p) ?? 0) + 1);
          const got = days.slicesOfDays(7, range, s.k);
          for (let j = 0; j < s.k; j++) {
            const expected = [...counts].filter(([, c]) => c >= j + 1).map(([p]) => p);
            assert.deepEqual(
              got[j]?.toArray(),
              expected.sort((a, b) => a - b),
              `at least ${j + 1} on ${first}..${last}`,
            );
          }
        }
      }
    }),
    { numRuns: 150 },
  );
});

void it('memoised counts: one entry per range, a larger k answers a smaller one, a change drops it, a budget holds', () => {
  const slices = new DaySlices(2_000);
  let computed = 0;
  const compute = (_days: readonly number[], k: number) => {
    computed++;
    return Array.from({ length: k }, (_, j) => new RoaringBitmap32([j, 100 + j]));
  };
  slices.of(1, [10, 11], 2, compute);
  slices.of(1, [11, 10], 1, compute);
  assert.equal(computed, 1, 'same range, smaller k: kept');
  slices.of(1, [10, 11], 3, compute);
  assert.equal(computed, 2, 'a larger k: made again');
  slices.changed(1, 12);
  slices.of(1, [10, 11], 3, compute);
  assert.equal(computed, 2, 'a day outside the range changed: kept');
  slices.changed(1, 11);
  slices.of(1, [10, 11], 3, compute);
  assert.equal(computed, 3, 'a day inside changed: dropped');
  for (let t = 2; t < 200; t++) slices.of(t, [10], 3, compute);
  const { made, evicted, bytes } = slices.stats();
  assert.ok(bytes <= 2_000, `held ${bytes} bytes`);
  assert.equal(made, computed);
  assert.ok(evicted > 0 && evicted < made, 'some entries evicted, not all');
  slices.of(1, [10, 11], 3, compute);
  assert.equal(computed, 202, 'the least recently used went first: made again');
});

void it('memoised counts over the day a forget cuts are dropped with it; those over later days stay', () => {
  const DAY = DAY_MS;
  const profiles = new MemoryTenantProfiles();
  for (let i = 0; i < 6; i++) {
    const p = profiles.resolve(`c-${i}`, {}, true) ?? -1;
    // two realisations a day on days 0..20, at 06:00 and 18:00 (profile i skips every (i + 2)th day)
    for (let d = 0; d <= 20; d++)
      if (d % (i + 2) !== 0)
        for (const h of [6, 18]) profiles.addRealisation(p, 7, (D0 + d) * DAY + h * 3_600_000);
  }
  const days = new TraitDays();
  days.build(profiles.columnsView());
  const range = (from: number) =>
    [...(days.daysOf(7)?.keys() ?? [])].filter((d) => d >= D0 + from && d <= D0 + from + 2);
  const counted = (from: number) => days.slicesOfDays(7, range(from), 7).map((b) => b.toArray());
  const before = counted(5);
  const later = days.slicesOfDays(7, range(12), 7);
  // day 5 is cut at noon: its 06:00 realisations go, so day 5 counts one a profile where it counted two
  const now = (D0 + 5) * DAY + 12 * 3_600_000 + 30 * DAY;
  profiles.forget(now, () => 30 * DAY, 365 * DAY);
  days.forget(now, () => 30 * DAY, profiles.columnsView().realisations);
  const direct = new TraitDays();
  direct.build(profiles.columnsView());
  const expected = direct.slicesOfDays(7, range(5), 7).map((b) => b.toArray());
  assert.notDeepEqual(expected, before, 'the forget changed the counts from day 5 on');
  assert.deepEqual(counted(5), expected);
  assert.equal(days.slicesOfDays(7, range(12), 7), later, 'the range over later days was kept');
});
