import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TraitInsight } from './audience-index.ts';
import { RoaringBitmap32 } from './bitmap.ts';
import { WORLD_BINDER, AudienceWorld } from './testing/audience-world.ts';
import {
  WORLD_TRAITS,
  baseRule,
  evaluationTime,
  worldProfile,
  worldRule,
} from './testing/audience-arbitraries.ts';

void it('overlap: sizes and every pair equal counts computed from the predicate', () => {
  fc.assert(
    fc.property(
      fc.array(worldProfile, { maxLength: 40 }),
      baseRule,
      baseRule,
      fc.array(worldRule, { minLength: 1, maxLength: 5 }),
      evaluationTime,
      (profiles, s1, s2, rules, now) => {
        const w = new AudienceWorld(s1, s2, profiles);
        const plans = rules.map((r) => w.index.compile(r, WORLD_BINDER, w.segments.resolve));
        const sets = rules.map((r) => new Set(w.expected(r, now)));
        const { sizes, overlap } = w.index.overlap(plans, now);
        assert.deepEqual(
          sizes,
          sets.map((s) => s.size),
        );
        assert.deepEqual(
          overlap,
          sets.map((a) => sets.map((b) => [...a].filter((p) => b.has(p)).length)),
        );
      },
    ),
    { numRuns: 80 },
  );
});

void it('insights: count, shares and index per trait equal direct counts; small cells left out; by index', () => {
  fc.assert(
    fc.property(
      fc.array(worldProfile, { minLength: 1, maxLength: 40 }),
      baseRule,
      fc.nat({ max: 3 }),
      evaluationTime,
      (profiles, rule, minCount, now) => {
        const w = new AudienceWorld(rule, rule, profiles);
        const segment = new RoaringBitmap32(w.expected(rule, now));
        const live: number[] = [];
        w.profiles.forEach((p) => live.push(p));
        const traitIds = [...WORLD_TRAITS, 42];
        const expected: TraitInsight[] = [];
        for (const traitId of traitIds) {
          const holders = live.filter(
            (p) => w.profiles.view(p).countRealisations(traitId, -Infinity, Infinity) > 0,
          );
          const count = holders.filter((p) => segment.has(p)).length;
          if (count === 0 || count < minCount) continue;
          const share = count / segment.size;
          const populationShare = holders.length / live.length;
          expected.push({ traitId, count, share, populationShare, index: (share / populationShare) * 100 });
        }
        expected.sort((a, b) => b.index - a.index || b.count - a.count || a.traitId - b.traitId);
        assert.deepEqual(w.index.insights(segment, traitIds, minCount), expected);
      },
    ),
    { numRuns: 100 },
  );
});

void it('insights: an example by hand', () => {
  const w = new AudienceWorld(
    { type: 'trait', code: 't1', windows: [] },
    { type: 'trait', code: 't1', windows: [] },
  );
  const ts = Date.UTC(2026, 9, 14);
  const none = { events: [], realisations: [], maid: false, removed: false };
  // 4 profiles: 0 and 1 hold trait 1, 0 holds trait 2, 2 holds trait 2, 3 holds nothing
  w.add(
    {
      ...none,
      realisations: [
        { traitId: 1, ts },
        { traitId: 2, ts },
      ],
    },
    'a',
    true,
  );
  w.add({ ...none, realisations: [{ traitId: 1, ts }] }, 'b', true);
  w.add({ ...none, realisations: [{ traitId: 2, ts }] }, 'c', true);
  w.add(none, 'd', true);
  const segment = new RoaringBitmap32([0, 1]);
  assert.deepEqual(w.index.insights(segment, [1, 2], 1), [
    { traitId: 1, count: 2, share: 1, populationShare: 0.5, index: 200 },
    { traitId: 2, count: 1, share: 0.5, populationShare: 0.5, index: 100 },
  ]);
  assert.deepEqual(
    w.index.insights(segment, [1, 2], 2).map((i) => i.traitId),
    [1],
  );
});
