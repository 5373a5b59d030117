import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CollectedEvent, Consent } from '../core/event.ts';
import { capFor } from '../core/identity/index.ts';
import type { LinkedId } from './profile-ids.ts';
import { MemoryTenantProfiles } from './memory-tenant-profiles.ts';

// A visitor's history split across two IDs (two profiles) and then merged must give the profile that
// the same history gives when it all arrives under one ID, in any order: attributes, every visit,
// realisations, trait summaries, consent, and IDs (those the caps keep, and their learnt times). Then
// the same late events and forgetting change both alike, and a snapshot of the merged store restores
// to the same answers and the same later changes.

const T0 = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;
const TRAITS = [1, 2, 3];

/** Times on a 10-minute grid, often 1 ms off it (gaps of exactly 30 minutes and 1 ms either side), some a day later. */
const time = fc
  .tuple(fc.integer({ min: 0, max: 24 }), fc.constantFrom(0, 0, 1, -1), fc.constantFrom(0, 0, 0, 1))
  .map(([k, off, day]) => T0 + k * 10 * MIN + off + day * 1_440 * MIN);
const geo = fc.constantFrom({}, { country: 'GB', city: 'London' }, { country: 'GB' }, { country: 'FR' });
const device = fc.constantFrom({}, { type: 'mobile', os: 'iOS' }, { type: 'desktop', browser: 'Firefox' });
const consent = fc.constantFrom<Consent | undefined>(
  undefined,
  undefined,
  { gdpr: 1, tcf: 'CQ-a' },
  { gdpr: 1, tcf: 'CQ-b' },
  { gdpr: 0 },
);

/** One event of the history: which ID it came under (0 or 1), and the traits it realised. */
const step = fc.record({
  side: fc.constantFrom(0, 1),
  ts: time,
  type: fc.constantFrom('pageview', 'pageview', 'click'),
  geo,
  device,
  consent,
  traits: fc.subarray(TRAITS),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/**
 * An ID asserted for a side at a time (seconds apart, so equal learnt times are frequent). Each side's
 * IDs are its own: an ID asserted for both is what makes the identity rules merge, not a case here.
 */
const assertion = fc
  .record({
    side: fc.constantFrom(0, 1),
    type: fc.constantFrom('uid', 'maid', 'crm'),
    n: fc.integer({ min: 1, max: 4 }),
    learntAt: fc.integer({ min: 0, max: 5 }).map((k) => T0 + k * 1000),
  })
  .map(({ side, type, n, learntAt }) => ({ side, type, id: `x-${side}-${n}`, learntAt }));

const limits = fc.option(
  fc.record(
    {
      caps: fc.record({
        perType: fc.dictionary(fc.constantFrom('uid', 'maid', 'crm'), fc.integer({ min: 1, max: 3 }), {
          maxKeys: 3,
        }),
        otherwise: fc.constantFrom(1, 2, Infinity),
      }),
      perProfile: fc.integer({ min: 1, max: 6 }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const UIDS = ['side-0', 'side-1'];

function eventOf(s: Step, uid: string): CollectedEvent {
  const e: CollectedEvent = {
    uid,
    ids: {},
    type: s.type,
    ts: s.ts,
    utm: {},
    signals: {},
    geo: s.geo,
    device: s.device,
  };
  if (s.consent !== undefined) e.consent = structuredClone(s.consent);
  return e;
}

function apply(profiles: MemoryTenantProfiles, p: number, s: Step, uid: string): void {
  profiles.recordEvent(p, eventOf(s, uid));
  for (const t of s.traits) profiles.addRealisation(p, t, s.ts);
}

/** The IDs as a sorted list, so stores that learnt them in different orders compare equal. */
function idSet(ids: readonly LinkedId[]): LinkedId[] {
  const key = (r: LinkedId): string => `${r.type}\u0000${r.value}`;
  return [...ids].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Every observable answer about profile `p` of `profiles`. */
function answers(profiles: MemoryTenantProfiles, p: number) {
  const view = profiles.view(p);
  const edges = [
    -Infinity,
    T0 - 1,
    T0 + 30 * MIN,
    T0 + 30 * MIN + 1,
    T0 + 90 * MIN,
    T0 + 1_440 * MIN,
    Infinity,
  ];
  const counts = TRAITS.map((t) =>
    edges.flatMap((after) => edges.map((upTo) => view.countRealisations(t, after, upTo))),
  );
  const lists = profiles.columnsView().realisations;
  const n = lists.load(p);
  const times = Array.from(lists.ts.subarray(0, n));
  assert.ok(
    times.every((t, i) => i === 0 || t <= (times[i - 1] ?? t)),
    'the reader gives the realisations newest first',
  );
  return {
    attributes: profiles.attributes(p),
    visits: profiles.visitsOf(p),
    summaries: profiles.traitSummaries(p),
    times: TRAITS.map((t) => view.realisationTimes(t)),
    counts,
    held: lists.held(p),
    consent: profiles.consentOf(p),
    ids: idSet(profiles.allIds(p)),
  };
}

/** A store with a bystander profile (so the two sides do not get indexes 0 and 1 every time). */
function storeWithBystander(): { profiles: MemoryTenantProfiles; bystander: number } {
  const profiles = new MemoryTenantProfiles();
  const bystander = profiles.resolve('bystander', { maid: 'm-by' }, true, T0) ?? -1;
  apply(
    profiles,
    bystander,
    { side: 0, ts: T0, type: 'pageview', geo: {}, device: {}, consent: undefined, traits: [1] },
    'bystander',
  );
  return { profiles, bystander };
}

void it('merging two profiles gives the profile of all their events under one ID, in any order; caps, late events, forget and snapshots included', () => {
  fc.assert(
    fc.property(
      fc.array(step, { minLength: 1, maxLength: 24 }),
      fc.array(assertion, { maxLength: 10 }),
      fc.array(step, { maxLength: 6 }),
      limits,
      fc.constantFrom(0, 1),
      fc.integer({ min: 0, max: 3 }),
      fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
      (history, asserted, late, idLimits, survivorSide, snapshotAt, keys) => {
        let drawn = 0;
        const shuffleKey = (): number => keys[drawn++ % keys.length] ?? 0;
        // split: each side's events under its own uid, its own profile
        let split = storeWithBystander();
        const sides = UIDS.map((uid, side) => split.profiles.resolve(uid, {}, true, T0 + side * 1000) ?? -1);
        for (const s of history) apply(split.profiles, sides[s.side] ?? -1, s, UIDS[s.side] ?? '');
        for (const a of asserted) split.profiles.attachId(sides[a.side] ?? -1, a.type, a.id, a.learntAt);
        if (snapshotAt === 1)
          split = { ...split, profiles: MemoryTenantProfiles.fromSnapshot(split.profiles.snapshotParts()) };
        const survivor = sides[survivorSide] ?? -1;
        const absorbed = sides[1 - survivorSide] ?? -1;
        const { droppedIds } = split.profiles.merge(survivor, absorbed, idLimits);
        assert.equal(split.profiles.find('uid', UIDS[1 - survivorSide] ?? '') === absorbed, false);
        if (snapshotAt === 2)
          split = { ...split, profiles: MemoryTenantProfiles.fromSnapshot(split.profiles.snapshotParts()) };

        // one: the same events, every ID asserted, in a shuffled order, all under one profile
        const one = storeWithBystander();
        const p = one.profiles.resolve(UIDS[survivorSide] ?? '', {}, true, T0 + survivorSide * 1000) ?? -1;
        const order = history
          .map((s, i) => ({ s, key: shuffleKey(), i }))
          .sort((a, b) => a.key - b.key || a.i - b.i);
        const idOrder = [
          {
            side: 1 - survivorSide,
            type: 'uid',
            id: UIDS[1 - survivorSide] ?? '',
            learntAt: T0 + (1 - survivorSide) * 1000,
          },
          ...asserted,
        ]
          .map((a, i) => ({ a, key: shuffleKey(), i }))
          .sort((x, y) => x.key - y.key || x.i - y.i);
        let k = 0;
        for (const { s } of order) {
          apply(one.profiles, p, s, UIDS[s.side] ?? '');
          // IDs come between the events, capped as they come: which stay must not depend on it
          const a = idOrder[k++]?.a;
          if (a !== undefined) one.profiles.attachId(p, a.type, a.id, a.learntAt, idLimits);
        }
        for (const { a } of idOrder.slice(k)) one.profiles.attachId(p, a.type, a.id, a.learntAt, idLimits);

        const merged = answers(split.profiles, survivor);
        assert.deepEqual(merged, answers(one.profiles, p));
        // the caps hold, and what they dropped is gone
        const ids = split.profiles.allIds(survivor);
        if (idLimits?.perProfile !== undefined) assert.ok(ids.length <= idLimits.perProfile);
        const caps = idLimits?.caps;
        for (const type of new Set(ids.map((r) => r.type))) {
          const cap = caps === undefined ? Infinity : capFor(type, caps);
          assert.ok(ids.filter((r) => r.type === type).length <= cap, `at most ${cap} of ${type}`);
        }
        for (const d of droppedIds) assert.equal(split.profiles.find(d.type, d.value), undefined);
        assert.equal(split.profiles.count(), 2);
        assert.deepEqual(answers(split.profiles, split.bystander), answers(one.profiles, one.bystander));

        // a snapshot of the merged store answers and changes as the store does
        const restored = MemoryTenantProfiles.fromSnapshot(split.profiles.snapshotParts());
        assert.deepEqual(answers(restored, survivor), merged);
        for (const s of late) {
          apply(split.profiles, survivor, s, 'late');
          apply(restored, survivor, s, 'late');
          apply(one.profiles, p, s, 'late');
        }
        assert.deepEqual(answers(split.profiles, survivor), answers(one.profiles, p));
        assert.deepEqual(answers(restored, survivor), answers(one.profiles, p));
        const lifetime = (traitId: number): number | undefined =>
          traitId === 3 ? undefined : traitId * 60 * MIN;
        const now = T0 + 200 * MIN;
        const forgotten = split.profiles.forget(now, lifetime, 180 * MIN);
        assert.deepEqual(restored.forget(now, lifetime, 180 * MIN), forgotten);
        assert.deepEqual(one.profiles.forget(now, lifetime, 180 * MIN), forgotten);
        assert.deepEqual(restored.snapshotParts(), split.profiles.snapshotParts());
        if (split.profiles.page(-1, 10).includes(survivor))
          assert.deepEqual(answers(split.profiles, survivor), answers(one.profiles, p));
        else assert.deepEqual(one.profiles.page(-1, 10).includes(p), false);
      },
    ),
    { numRuns: 300 },
  );
});
