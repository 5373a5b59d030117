import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AudiencePlan, TraitInsight } from './audience-index.ts';
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

void it('batch: saved segments each evaluated once, nested references included; nothing kept after it', () => {
  fc.assert(
    fc.property(
      fc.array(worldProfile, { maxLength: 30 }),
      baseRule,
      baseRule,
      worldRule,
      evaluationTime,
      (profiles, s1, s2, rule, now) => {
        const w = new AudienceWorld(s1, s2, profiles);
        // 14: a saved segment no rule can name, its rule free to refer to s1, s2 and s3 (which has none)
        w.segments.define(14, w.index.compile(rule, WORLD_BINDER, w.segments.resolve));
        const evaluated: AudiencePlan[] = [];
        const evaluate = w.index.evaluate.bind(w.index);
        w.index.evaluate = (plan, at) => {
          evaluated.push(plan);
          return evaluate(plan, at);
        };
        const members = w.segments.batch([14, 11, 12, 11], now, (m) => m.map((b) => b.toArray()));
        const [e14, e11, e12] = [w.expected(rule, now), w.expected(s1, now), w.expected(s2, now)];
        assert.deepEqual(members, [e14, e11, e12, e11]);
        assert.equal(evaluated.length, 3, 'each of 14, 11, 12 once');
        w.segments.batch([11], now, (m) => m);
        assert.equal(evaluated.length, 4, 'a batch keeps no answers once it returns');
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
          // minCount 0 (a partition asked by a scaled-out API server) keeps traits the segment lacks
          if (holders.length === 0 || count < minCount || (count === 0 && minCount > 0)) continue;
          const share = segment.size === 0 ? 0 : count / segment.size;
          const populationShare = holders.length / live.length;
          const index = (share / populationShare) * 100;
          expected.push({ traitId, count, share, populationShare, index, holders: holders.length });
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
    { traitId: 1, count: 2, share: 1, populationShare: 0.5, index: 200, holders: 2 },
    { traitId: 2, count: 1, share: 0.5, populationShare: 0.5, index: 100, holders: 2 },
  ]);
  assert.deepEqual(
    w.index.insights(segment, [1, 2], 2).map((i) => i.traitId),
    [1],
  );
});
