import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bitmapsByKey } from './bitmaps-by-key.ts';

void it('bitmaps by key: every profile with a key in its key bitmap, in no other; key 0 nowhere', () => {
  fc.assert(
    fc.property(fc.array(fc.nat(70), { maxLength: 300, size: 'max' }), fc.nat(300), (keys, cut) => {
      const n = Math.min(cut, keys.length);
      const got = bitmapsByKey(Uint32Array.from(keys), n);
      const expected = new Map<number, number[]>();
      for (let p = 0; p < n; p++) {
        const key = keys[p] as number;
        if (key !== 0) expected.set(key, [...(expected.get(key) ?? []), p]);
      }
      assert.deepEqual(
        new Map([...got].map(([key, bitmap]) => [key, bitmap.toArray()])),
        new Map([...expected].sort((a, b) => a[0] - b[0])),
      );
    }),
    { numRuns: 300 },
  );
});
