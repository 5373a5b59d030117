import { it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { RoaringBitmap32 } from './bitmap.ts';
import { WORLD_BINDER, AudienceWorld } from './testing/audience-world.ts';
import { baseRule, evaluationTime, worldProfile, worldRule } from './testing/audience-arbitraries.ts';

/** each drawn profile is added this many times, so that bitmaps hold thousands of members */
const COPIES = 400;
/** CRoaring's own bytes per bitmap object (its struct), freed when the collector finds the object */
const PER_OBJECT = 200;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// A query's intermediate bitmaps, and the answers of sizes, overlaps and batches, are disposed when used
// (ADR 0019): once a first query has filled the memos, asking again gives back the native memory of what
// it made, but for each bitmap object's own few bytes (freed when the collector finds the object). Left
// to the collector, each query's temporaries (kilobytes here, hundreds of MB at 10M) would stay until then.
void it('sizes, overlaps and batches give back the native memory of everything they made', () => {
  fc.assert(
    fc.property(
      fc.array(worldProfile, { minLength: 1, maxLength: 12 }),
      baseRule,
      baseRule,
      fc.array(worldRule, { minLength: 1, maxLength: 4 }),
      evaluationTime,
      (drawn, s1, s2, rules, now) => {
        const profiles = Array.from({ length: COPIES }, () => drawn).flat();
        const w = new AudienceWorld(s1, s2, profiles);
        const plans = rules.map((r) => w.index.compile(r, WORLD_BINDER, w.segments.resolve));
        const ask = (): unknown => [
          plans.map((plan) => w.index.size(plan, now)),
          w.index.overlap(plans, now),
          w.segments.batch([11, 12], now, (m) => m.map((b) => b.size)),
        ];
        const first = ask(); // fills the memos (counts over settled days, cut days' times)
        gc(); // what the first ask left to the collector is gone before counting
        const before = RoaringBitmap32.getRoaringUsedMemory();
        const made = RoaringBitmap32.getInstancesCount();
        for (let i = 0; i < 5; i++) assert.deepEqual(ask(), first);
        const grown = RoaringBitmap32.getRoaringUsedMemory() - before;
        const objects = RoaringBitmap32.getInstancesCount() - made;
        assert.ok(grown <= objects * PER_OBJECT, `${grown} bytes more for ${objects} bitmap objects`);
      },
    ),
    { numRuns: 60 },
  );
});
