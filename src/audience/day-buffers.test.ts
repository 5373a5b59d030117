import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DayBuffers } from './day-buffers.ts';

test('day buffers hand over every addition, repeats included, to its (trait, day), whatever the order, flushes and limit', () => {
  const addition = fc.tuple(fc.nat(6), fc.nat(3), fc.nat(4));
  const step = fc.oneof(
    { weight: 9, arbitrary: addition.map(([p, trait, day]) => ({ p, trait, day })) },
    { weight: 1, arbitrary: fc.constant('flush' as const) },
  );
  fc.assert(
    fc.property(fc.array(step, { maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (steps, limit) => {
      const handed = new Map<string, number[]>();
      const expected = new Map<string, number[]>();
      const buffers = new DayBuffers((trait, day, profiles) => {
        const key = `${trait}:${day}`;
        handed.set(
          key,
          [...(handed.get(key) ?? []), ...profiles].sort((a, b) => a - b),
        );
        profiles.reverse(); // the callback may reorder the view: the buffer must not care
      }, limit);
      for (const s of steps) {
        if (s === 'flush') {
          buffers.flush();
          assert.deepEqual(handed, expected, 'after a flush, everything added is handed over');
          continue;
        }
        buffers.add(s.p, s.trait, s.day);
        const key = `${s.trait}:${s.day}`;
        expected.set(
          key,
          [...(expected.get(key) ?? []), s.p].sort((a, b) => a - b),
        );
      }
      buffers.flush();
      assert.deepEqual(handed, expected);
    }),
    { numRuns: 1_000 },
  );
});

test('cleared buffers hand nothing over', () => {
  const handed: number[] = [];
  const buffers = new DayBuffers((_trait, _day, profiles) => handed.push(...profiles));
  buffers.add(1, 2, 3);
  buffers.clear();
  buffers.flush();
  assert.deepEqual(handed, []);
});
