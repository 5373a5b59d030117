import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RoaringBitmap32 } from './bitmap.ts';
import { addReturningHeld } from './add-to-bitmap.ts';

void it('adds a batch and returns what the bitmap held before, one at a time or as a bitmap alike', () => {
  const ids = fc.uniqueArray(fc.integer({ min: 0, max: 5_000 }), { maxLength: 300 });
  fc.assert(
    fc.property(ids, ids, (before, batch) => {
      const bitmap = new RoaringBitmap32(before);
      const unique = Uint32Array.from(batch).sort();
      const held = addReturningHeld(bitmap, unique);
      const had = new Set(before);
      const expected = [...unique].filter((p) => had.has(p));
      assert.equal(held === undefined, expected.length === 0, 'undefined exactly when none was held');
      assert.deepEqual(Array.from(held ?? []), expected);
      assert.deepEqual(
        bitmap.toArray(),
        [...new Set([...before, ...batch])].sort((a, b) => a - b),
      );
    }),
  );
});
