import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createMemoryProfileStore } from './memory-profile-store.ts';

test('an indexed view counts realisations exactly as the plain view does', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 0, max: 50 }),
        ),
        {
          maxLength: 40,
        },
      ),
      fc.array(
        fc.tuple(
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: -5, max: 55 }),
          fc.integer({ min: -5, max: 55 }),
        ),
        {
          minLength: 1,
          maxLength: 20,
        },
      ),
      (adds, questions) => {
        const profiles = createMemoryProfileStore().tenant('t');
        const ps = [0, 1, 2, 3].map((i) => profiles.resolve(`u${i}`, {}, true)!);
        for (const [who, trait, ts] of adds) profiles.addRealisation(ps[who]!, trait, ts);
        for (const p of ps) {
          for (const [trait, lo, hi] of questions) {
            const plain = profiles.view(p).countRealisations(trait, lo, hi);
            const indexed = profiles.view(p, true).countRealisations(trait, lo, hi);
            assert.equal(indexed, plain, `p${p} trait ${trait} (${lo}, ${hi}]`);
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});
