import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { printRule } from '../core/rules/index.ts';
import { baseRule, evaluationTime, worldProfile, worldRule } from './testing/audience-arbitraries.ts';
import { AudienceWorld } from './testing/audience-world.ts';

const world = fc.record(
  {
    before: fc.array(worldProfile, { maxLength: 25, size: 'max' }),
    after: fc.array(worldProfile, { maxLength: 25, size: 'max' }),
    s1: baseRule,
    s2: baseRule,
    rules: fc.array(worldRule, { minLength: 25, maxLength: 25 }),
    nows: fc.array(evaluationTime, { minLength: 3, maxLength: 3 }),
  },
  { noNullPrototype: true },
);

void it('bitmap plans hold exactly the profiles the per-profile predicate holds (random rules, profiles, times)', () => {
  let checked = 0;
  fc.assert(
    fc.property(world, ({ before, after, s1, s2, rules, nows }) => {
      // half the profiles are in the store when the index is built, half arrive through maintenance
      const w = new AudienceWorld(s1, s2, before);
      after.forEach((wp, i) => w.add(wp, `a-${i}`, true));
      // removals (half before the store's, half after it), then new profiles reuse the freed indexes
      const removed = [...before, ...after].map((wp, i) => ({ wp, p: i })).filter((x) => x.wp.removed);
      removed.forEach(({ p }, i) => w.remove(p, i % 2 === 0));
      removed.forEach(({ wp }, i) => w.add(wp, `r-${i}`, true));
      for (const rule of [s1, s2, ...rules]) {
        for (const now of nows) {
          assert.deepEqual(w.actual(rule, now), w.expected(rule, now), `${printRule(rule)} at ${now}`);
          checked++;
        }
      }
    }),
    { numRuns: 60 },
  );
  assert.ok(checked >= 4_000, `checked ${checked} (rule, now) pairs`);
});
