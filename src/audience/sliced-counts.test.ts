import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CMP_OPS } from '../core/rules/ast.ts';
import { compareNumbers } from '../core/rules/trait-window.ts';
import { SLICED_MAX, passingRuns } from './sliced-counts.ts';

void it('passing runs: by hand', () => {
  assert.deepEqual(passingRuns([{ op: '>=', value: 2 }]), [[2, Infinity]]);
  assert.deepEqual(passingRuns([{ op: '>', value: 2 }]), [[3, Infinity]]);
  assert.deepEqual(passingRuns([{ op: '==', value: 2 }]), [[2, 2]]);
  assert.deepEqual(passingRuns([{ op: '!=', value: 2 }]), [
    [0, 1],
    [3, Infinity],
  ]);
  assert.deepEqual(passingRuns([{ op: '<', value: 3 }]), [[0, 2]]);
  assert.deepEqual(passingRuns([{ op: '>=', value: 0 }]), [[0, Infinity]]);
  assert.deepEqual(
    passingRuns([
      { op: '>', value: 4 },
      { op: '<', value: 2 },
    ]),
    [],
  );
  assert.equal(passingRuns([{ op: '>=', value: SLICED_MAX }]), undefined, 'past what the levels know');
});

void it('passing runs: a count passes every test exactly when it lies in a run', () => {
  const test = fc.record({
    op: fc.constantFrom(...CMP_OPS),
    value: fc.oneof(
      fc.integer({ min: -2, max: SLICED_MAX + 1 }),
      fc.double({ min: -2, max: SLICED_MAX, noNaN: true }),
    ),
  });
  fc.assert(
    fc.property(fc.array(test, { minLength: 1, maxLength: 3 }), (tests) => {
      const runs = passingRuns(tests);
      if (runs === undefined) {
        assert.ok(tests.some((t) => Math.floor(t.value) + 1 > SLICED_MAX));
        return;
      }
      for (let c = 0; c <= 3 * SLICED_MAX; c++) {
        const passes = tests.every((t) => compareNumbers(c, t.op, t.value));
        const inRun: boolean = runs.some(([from, to]) => c >= from && c <= to);
        assert.equal(inRun, passes, `count ${c}`);
      }
    }),
    { numRuns: 500 },
  );
});
