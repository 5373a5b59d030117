import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRule, printRule } from '../core/rules/index.ts';
import {
  WORLD_TRAITS,
  baseRule,
  evaluationTime,
  gridTime,
  worldProfile,
  worldRule,
} from './testing/audience-arbitraries.ts';
import { AudienceWorld, worldLifetime } from './testing/audience-world.ts';

const DAY = 86_400_000;
/** Checked after every step: each index the engine keeps (trait days, values, live) answers one. */
const PROBES = [
  'trait:t1',
  'trait:t2[within 1d]',
  'trait:t1[count >= 2]',
  'trait:t3[count < 2]',
  'geo.city == "London"',
  'not device.type == "mobile"',
  'visits < 1',
  'first_seen within 2d',
  'ids.maid exists',
].map((text) => {
  const parsed = parseRule(text);
  if (!parsed.ok) throw new Error(text);
  return parsed.rule;
});

const op = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), profile: worldProfile }, { noNullPrototype: true }),
  fc.record(
    {
      kind: fc.constant('realise' as const),
      pick: fc.nat(),
      traitId: fc.constantFrom(...WORLD_TRAITS),
      ts: gridTime(-12, 4),
    },
    { noNullPrototype: true },
  ),
  fc.record(
    { kind: fc.constant('event' as const), pick: fc.nat(), profile: worldProfile },
    { noNullPrototype: true },
  ),
  fc.record(
    { kind: fc.constant('remove' as const), pick: fc.nat(), indexFirst: fc.boolean() },
    { noNullPrototype: true },
  ),
  fc.record(
    { kind: fc.constant('clearTrait' as const), traitId: fc.constantFrom(...WORLD_TRAITS) },
    { noNullPrototype: true },
  ),
  fc.record(
    { kind: fc.constant('forget' as const), now: evaluationTime, profileDays: fc.constantFrom(1, 2, 30) },
    { noNullPrototype: true },
  ),
  fc.record({ kind: fc.constant('rebuild' as const) }, { noNullPrototype: true }),
  // a file's rows one after another: a profile's realisation still buffered (no read between) loses its
  // trait at once, beside another profile's buffered ones (1 of them, or more than a buffer is searched)
  fc.record(
    {
      kind: fc.constant('addThenRemove' as const),
      pick: fc.nat(),
      other: fc.nat(),
      traitId: fc.constantFrom(...WORLD_TRAITS),
      ts: gridTime(-12, 4),
      others: fc.constantFrom(1, 70),
    },
    { noNullPrototype: true },
  ),
  // a file replacing a profile's traits: some traits' realisations all go, the others stay
  fc.record(
    {
      kind: fc.constant('removeTraits' as const),
      pick: fc.nat(),
      traits: fc.subarray([...WORLD_TRAITS], { minLength: 1 }),
    },
    { noNullPrototype: true },
  ),
  // a profile made by a file (onboarding): resolved with an ID and given a realisation, no event
  fc.record(
    {
      kind: fc.constant('onboard' as const),
      traitId: fc.constantFrom(...WORLD_TRAITS),
      ts: gridTime(-12, 4),
      maid: fc.boolean(),
    },
    { noNullPrototype: true },
  ),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(w: AudienceWorld, o: Op, n: number): void {
  const live: number[] = [];
  w.profiles.forEach((p) => live.push(p));
  const target = 'pick' in o ? live[o.pick % Math.max(1, live.length)] : undefined;
  switch (o.kind) {
    case 'add':
      w.add(o.profile, `n-${n}`, true);
      return;
    case 'realise':
      if (target === undefined) return;
      w.profiles.addRealisation(target, o.traitId, o.ts);
      w.index.addRealisation(target, o.traitId, o.ts);
      return;
    case 'event':
      if (target !== undefined) w.add(o.profile, w.profiles.uidOf(target), true);
      return;
    case 'remove':
      if (target !== undefined) w.remove(target, o.indexFirst);
      return;
    case 'clearTrait':
      w.profiles.clearTrait(o.traitId);
      w.index.clearTrait(o.traitId);
      return;
    case 'forget':
      w.profiles.forget(o.now, worldLifetime, o.profileDays * DAY);
      w.index.forget(o.now, worldLifetime);
      // a new profile takes a freed index, if any: stale bits of the one forgotten would show
      w.add({ events: [], realisations: [], maid: false, removed: false }, `f-${n}`, true);
      return;
    case 'rebuild':
      w.index.rebuild();
      return;
    case 'addThenRemove': {
      const other = live[o.other % Math.max(1, live.length)];
      if (target === undefined || other === undefined) return;
      for (let k = 0; k < o.others; k++) {
        w.profiles.addRealisation(other, o.traitId, o.ts);
        w.index.addRealisation(other, o.traitId, o.ts);
      }
      w.profiles.addRealisation(target, o.traitId, o.ts);
      w.index.addRealisation(target, o.traitId, o.ts);
      const drop = (traitId: number): boolean => traitId === o.traitId;
      w.index.removeTraits(target, drop);
      w.profiles.removeRealisations(target, drop);
      return;
    }
    case 'removeTraits': {
      if (target === undefined) return;
      const drop = (traitId: number): boolean => o.traits.includes(traitId);
      w.index.removeTraits(target, drop);
      w.profiles.removeRealisations(target, drop);
      return;
    }
    case 'onboard': {
      const p = w.profiles.resolve(`o-${n}`, o.maid ? { maid: `m-o-${n}` } : {}, true);
      if (p === undefined) return;
      w.profiles.addRealisation(p, o.traitId, o.ts);
      w.index.addRealisation(p, o.traitId, o.ts);
    }
  }
}

void it('after additions, events, removals, removed traits, clearTrait, forget and rebuild, plans still agree with the predicate', () => {
  fc.assert(
    fc.property(
      fc.array(worldProfile, { maxLength: 20 }),
      baseRule,
      baseRule,
      fc.array(op, { minLength: 5, maxLength: 30 }),
      fc.array(worldRule, { minLength: 12, maxLength: 12 }),
      fc.array(evaluationTime, { minLength: 2, maxLength: 2 }),
      (before, s1, s2, ops, rules, nows) => {
        const w = new AudienceWorld(s1, s2, before);
        ops.forEach((o, n) => {
          apply(w, o, n);
          for (const rule of [...PROBES, rules[n % rules.length] ?? PROBES[0]!])
            for (const now of nows)
              assert.deepEqual(
                w.actual(rule, now),
                w.expected(rule, now),
                `${printRule(rule)} after ${o.kind}`,
              );
        });
        assert.deepEqual(w.index.live().toArray(), w.expected({ type: 'exists', path: 'visits' }, 0));
        for (const rule of rules)
          for (const now of nows)
            assert.deepEqual(w.actual(rule, now), w.expected(rule, now), `${printRule(rule)} at ${now}`);
      },
    ),
    { numRuns: 60 },
  );
});
