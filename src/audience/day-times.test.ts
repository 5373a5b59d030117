import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DAY_MS } from '../core/clock.ts';
import { RealisationArena } from '../profiles/realisation-arena.ts';
import { RoaringBitmap32 } from './bitmap.ts';
import { DayTimesMemo, countsWithin, readDayTimes } from './day-times.ts';

const DAY = 20_400;
const START = DAY * DAY_MS;

/** Realisations of traits 1 and 2 by profiles 0..5, on the day before, the day and the day after. */
const realisations = fc.array(
  fc.record({
    p: fc.nat(5),
    traitId: fc.constantFrom(1, 2),
    ts: fc.integer({ min: START - DAY_MS, max: START + 2 * DAY_MS - 1 }),
  }),
  { maxLength: 80 },
);

void it("a day's times count, for any part of the day, what the store counts profile by profile", () => {
  fc.assert(
    fc.property(
      realisations,
      fc.integer({ min: -1, max: DAY_MS }),
      fc.integer({ min: -1, max: DAY_MS }),
      (rows, a, b) => {
        const arena = new RealisationArena();
        // the arena takes each profile's realisations in time order
        for (const r of [...rows].sort((x, y) => x.ts - y.ts)) arena.add(r.p, r.traitId, r.ts);
        const members = new RoaringBitmap32([0, 1, 2, 3, 4, 5]);
        const times = readDayTimes(1, DAY, members, arena.lists());
        const profiles = new Uint32Array(times.profiles.length);
        const counts = new Uint32Array(times.profiles.length);
        const n = countsWithin(times, a, b, profiles, counts);
        const got = new Map<number, number>();
        for (let i = 0; i < n; i++) got.set(profiles[i] ?? -1, counts[i] ?? 0);
        for (let p = 0; p <= 5; p++) {
          const expected = arena.count(p, 1, START + a, Math.min(START + b, START + DAY_MS - 1));
          assert.equal(got.get(p) ?? 0, expected, `profile ${p} in (${a}, ${b}]`);
        }
        assert.deepEqual(
          [...profiles.subarray(0, n)],
          [...got.keys()].sort((x, y) => x - y),
        );
      },
    ),
    { numRuns: 300 },
  );
});

void it('the memo keeps the most recently used days within its budget and drops a changed day', () => {
  const arena = new RealisationArena();
  for (let p = 0; p < 4; p++) for (let day = 0; day < 3; day++) arena.add(p, 1, START + day * DAY_MS + p);
  const lists = arena.lists();
  const members = new RoaringBitmap32([0, 1, 2, 3]);
  const memo = new DayTimesMemo(8); // two days of four realisations
  const first = memo.of(1, DAY, members, lists);
  assert.deepEqual([...first.profiles], [0, 1, 2, 3]);
  assert.deepEqual([...first.times], [0, 1, 2, 3]);
  assert.equal(memo.of(1, DAY, members, lists), first, 'memoised');
  memo.of(1, DAY + 1, members, lists);
  memo.known(1, DAY); // used: DAY + 1 is now the least recent
  memo.of(1, DAY + 2, members, lists);
  assert.equal(memo.known(1, DAY + 1), undefined, 'the least recently used day went past the budget');
  assert.equal(memo.known(1, DAY), first);
  memo.changed(1, DAY);
  assert.equal(memo.known(1, DAY), undefined, 'a changed day is read again');
  const big = new DayTimesMemo(3).of(1, DAY, members, lists);
  assert.equal(big.profiles.length, 4, 'a day larger than the budget is read, not kept');
  memo.clear(1);
  assert.equal(memo.known(1, DAY + 2), undefined);
});
