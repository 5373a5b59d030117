import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CmpOp, Rule, Window } from '../core/rules/index.ts';
import { printRule } from '../core/rules/index.ts';
import { wholeParts } from '../profiles/snapshot-parts.ts';
import { LEVELS } from './day-levels.ts';
import { T0, evaluationTime, gridTime, type WorldProfile } from './testing/audience-arbitraries.ts';
import { AudienceWorld, WORLD_BINDER, worldLifetime } from './testing/audience-world.ts';
import { RoaringAudienceIndex } from './roaring-audience-index.ts';

const DAY = 86_400_000;
const EMPTY_RULE: Rule = { type: 'exists', path: 'ids.none' };
const NO_DATA: WorldProfile = { events: [], realisations: [], maid: false, removed: false };

/** Many realisations of a trait on few days (beyond the count levels), reads between them, removals, forget. */
const step = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record(
      {
        kind: fc.constant('realise' as const),
        p: fc.nat(4),
        traitId: fc.constantFrom(1, 2),
        ts: gridTime(-6, 3),
        times: fc.integer({ min: 1, max: LEVELS + 3 }),
      },
      { noNullPrototype: true },
    ),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'read' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('remove' as const), p: fc.nat(4), indexFirst: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'rebuild' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('forget' as const), now: gridTime(-2, 6) }) },
);
const op = fc.constantFrom<CmpOp>('==', '!=', '<', '<=', '>', '>=');
const countRule: fc.Arbitrary<Rule> = fc
  .tuple(
    fc.constantFrom('t1', 't2'),
    op,
    fc.nat(2 * LEVELS + 6),
    fc.constantFrom<Window[]>(
      [],
      [{ type: 'within', duration: { amount: 1, unit: 'd' } }],
      [{ type: 'within', duration: { amount: 2, unit: 'd' } }],
      [{ type: 'within', duration: { amount: 12, unit: 'h' } }],
      [{ type: 'after', date: new Date(T0 - DAY).toISOString() }],
    ),
  )
  .map(([code, o, value, windows]) => ({
    type: 'trait',
    code,
    windows: [{ type: 'count', op: o, value }, ...windows],
  }));

void it('count windows agree with the predicate when a day holds more realisations than the count levels', () => {
  fc.assert(
    fc.property(
      fc.array(step, { minLength: 1, maxLength: 40, size: 'max' }),
      fc.array(countRule, { minLength: 8, maxLength: 8 }),
      fc.array(evaluationTime, { minLength: 2, maxLength: 2 }),
      (steps, rules, nows) => {
        const w = new AudienceWorld(EMPTY_RULE, EMPTY_RULE);
        const ps = [0, 1, 2, 3, 4].map((i) => w.add(NO_DATA, `c-${i}`, true));
        let n = 0;
        for (const s of steps) {
          if (s.kind === 'realise') {
            const live: number[] = [];
            w.profiles.forEach((q) => live.push(q));
            // a profile `forget` took (no event) is replaced by a new one
            if (!live.includes(ps[s.p] ?? -1)) ps[s.p] = w.add(NO_DATA, `c-${s.p}-${n++}`, true);
            const p = ps[s.p] ?? 0;
            for (let i = 0; i < s.times; i++) {
              w.profiles.addRealisation(p, s.traitId, s.ts + i);
              w.index.addRealisation(p, s.traitId, s.ts + i);
            }
          } else if (s.kind === 'read') w.actual(rules[0] ?? EMPTY_RULE, nows[0] ?? T0);
          else if (s.kind === 'remove') {
            // the freed index is taken by the next new profile: stale counts of the removed one would show
            if (w.profiles.uidOf(ps[s.p] ?? -1) !== undefined) w.remove(ps[s.p] ?? -1, s.indexFirst);
          } else if (s.kind === 'rebuild') w.index.rebuild();
          else {
            w.profiles.forget(s.now, worldLifetime, 1_000 * DAY);
            w.index.forget(s.now, worldLifetime);
          }
        }
        for (const rule of rules)
          for (const now of nows)
            assert.deepEqual(w.actual(rule, now), w.expected(rule, now), `${printRule(rule)} at ${now}`);
      },
    ),
    { numRuns: 300 },
  );
});

void it('forget recounts the day its cutoff straddles: a count there drops with the realisation forgotten', () => {
  const w = new AudienceWorld(EMPTY_RULE, EMPTY_RULE);
  const p = w.add(NO_DATA, 'c-1', true);
  // trait 2 lives 2 days: forgetting at T0 + 2.5d keeps the day's 20:00 realisation, not its 02:00 one
  for (const ts of [T0 + 2 * 3_600_000, T0 + 20 * 3_600_000]) {
    w.profiles.addRealisation(p, 2, ts);
    w.index.addRealisation(p, 2, ts);
  }
  const once: Rule = { type: 'trait', code: 't2', windows: [{ type: 'count', op: '==', value: 1 }] };
  const now = T0 + 1.5 * DAY;
  assert.deepEqual(w.actual(once, now), [], 'twice before forget');
  w.profiles.forget(T0 + 2.5 * DAY, worldLifetime, 1_000 * DAY);
  w.index.forget(T0 + 2.5 * DAY, worldLifetime);
  assert.deepEqual(w.expected(once, now), [p]);
  assert.deepEqual(w.actual(once, now), [p]);
});

void it('a removed profile leaves no count behind for the profile that takes its index (both removal orders)', () => {
  for (const indexFirst of [true, false]) {
    const w: AudienceWorld = new AudienceWorld(EMPTY_RULE, EMPTY_RULE);
    const once: Rule = { type: 'trait', code: 't1', windows: [{ type: 'count', op: '==', value: 1 }] };
    const now = T0 + 3 * DAY;
    const p = w.add(NO_DATA, 'a', true);
    for (let i = 0; i < 3; i++) {
      w.profiles.addRealisation(p, 1, T0 + 3_600_000 + i);
      w.index.addRealisation(p, 1, T0 + 3_600_000 + i);
    }
    assert.deepEqual(w.actual(once, now), []);
    w.remove(p, indexFirst);
    const q = w.add(NO_DATA, 'b', true);
    assert.equal(q, p, 'the store reuses the freed index');
    w.profiles.addRealisation(q, 1, T0 + 7_200_000);
    w.index.addRealisation(q, 1, T0 + 7_200_000);
    assert.deepEqual(w.expected(once, now), [q]);
    assert.deepEqual(w.actual(once, now), [q], `index ${indexFirst ? 'first' : 'after the store'}`);
  }
});

void it('a snapshot carries the count levels; one without them is refused', () => {
  const w = new AudienceWorld(EMPTY_RULE, EMPTY_RULE);
  const p = w.add(NO_DATA, 'a', true);
  for (let i = 0; i < 3; i++) {
    w.profiles.addRealisation(p, 1, T0 + 3_600_000 + i);
    w.index.addRealisation(p, 1, T0 + 3_600_000 + i);
  }
  const thrice: Rule = { type: 'trait', code: 't1', windows: [{ type: 'count', op: '==', value: 3 }] };
  const parts = wholeParts(w.index.snapshotParts());
  const restored = new RoaringAudienceIndex(w.profiles);
  restored.restore(parts);
  assert.deepEqual(restored.evaluate(restored.compile(thrice, WORLD_BINDER), T0 + DAY).toArray(), [p]);
  const without = parts.filter((part) => !part.name.startsWith('audience.levels.'));
  assert.throws(() => new RoaringAudienceIndex(w.profiles).restore(without), /audience\.levels/);
});
