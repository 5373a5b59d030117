import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CollectedEvent, Consent } from '../core/event.ts';
import { MemoryTenantProfiles } from './memory-tenant-profiles.ts';
import { ReferenceProfiles } from './reference-profiles.ts';

const T0 = Date.UTC(2025, 10, 20);
const QUARTER = 15 * 60_000;
const UIDS = ['c-0', 'c-1', 'c-2', 'c-3', ''];
const ID_TYPES = { maid: ['m-0', 'm-1', 'm-2'], idfa: ['i-0', 'i-1'] };
const TRAITS = [1, 2, 3];
const PATHS = ['geo.country', 'geo.region', 'geo.city', 'device.type', 'device.os', 'device.browser'];
const ALL_PATHS = [...PATHS, 'visits', 'pageviews', 'first_seen', 'last_seen'];

/** Times on a 15-minute grid, often 1 ms off it, so 30-minute gaps and window edges are hit exactly. */
const time = fc
  .tuple(fc.integer({ min: 0, max: 8 }), fc.constantFrom(0, 0, 0, 1, -1))
  .map(([k, off]) => T0 + k * QUARTER + off);
const duration = fc.integer({ min: 0, max: 8 }).map((k) => k * QUARTER);
const pick = fc.nat({ max: 50 });

const ids = fc.record(
  { maid: fc.constantFrom(...ID_TYPES.maid), idfa: fc.constantFrom(...ID_TYPES.idfa, '') },
  { requiredKeys: [] },
);
const geo = fc.constantFrom(
  {},
  { country: 'GB' },
  { country: 'GB', city: 'London' },
  { city: '' },
  {
    country: 'FR',
    region: 'FR-IDF',
    city: 'Paris',
  },
);
const consent = fc.constantFrom<Consent | undefined>(
  undefined,
  { gdpr: 1, tcf: 'CQ-a' },
  { gdpr: 1, tcf: 'CQ-b', gpc: true },
  { gdpr: 0 },
  { usp: '1YNN', gpp: 'DBAB', gppSid: [2, 7] },
);
const device = fc.constantFrom(
  {},
  { type: 'mobile', os: 'iOS' },
  { type: 'desktop', browser: 'Firefox' },
  { os: '' },
);

/** limits small enough to bite: a few IDs of a type, a few in all */
const limits = fc.option(
  fc.record(
    {
      caps: fc.record({
        perType: fc.dictionary(fc.constantFrom('uid', 'maid', 'idfa'), fc.integer({ min: 1, max: 3 }), {
          maxKeys: 3,
        }),
        otherwise: fc.constantFrom(1, 2, Infinity),
      }),
      perProfile: fc.integer({ min: 1, max: 5 }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);
/** the time an ID is learnt at: seconds apart (equal seconds are frequent), or none */
const learntAt = fc.option(
  fc.integer({ min: 0, max: 4 }).map((k) => T0 + k * 1000 + 7),
  { nil: undefined },
);

const op = fc.oneof(
  fc.record({
    kind: fc.constant('resolve' as const),
    uid: fc.constantFrom(...UIDS),
    ids,
    create: fc.boolean(),
    learntAt,
  }),
  fc.record({ kind: fc.constant('merge' as const), pick, other: pick, limits }),
  fc.record({
    kind: fc.constant('attach' as const),
    pick,
    type: fc.constantFrom('uid', 'maid', 'idfa'),
    value: fc.constantFrom(...UIDS, ...ID_TYPES.maid, ...ID_TYPES.idfa),
    learntAt,
    limits,
  }),
  fc.record({
    kind: fc.constant('event' as const),
    pick,
    ts: time,
    type: fc.constantFrom('pageview', 'click'),
    geo,
    device,
    consent,
  }),
  fc.record({ kind: fc.constant('realise' as const), pick, traitId: fc.constantFrom(...TRAITS), ts: time }),
  fc.record({ kind: fc.constant('clear' as const), traitId: fc.constantFrom(...TRAITS) }),
  fc.record({
    kind: fc.constant('forget' as const),
    now: time,
    lifetimes: fc.tuple(fc.option(duration), fc.option(duration), fc.option(duration)),
    profileLifetime: duration,
  }),
  fc.record({ kind: fc.constant('remove' as const), pick }),
  fc.record({ kind: fc.constant('snapshot' as const) }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** The store and the model side by side, with the store index of each model profile. */
class Pair {
  store = new MemoryTenantProfiles();
  readonly model = new ReferenceProfiles();
  /** store index -> model id, for live profiles */
  readonly byIndex = new Map<number, number>();

  apply(o: Op): void {
    const live = [...this.byIndex.keys()].sort((a, b) => a - b);
    const chosen = live.length === 0 ? undefined : live['pick' in o ? o.pick % live.length : 0];
    switch (o.kind) {
      case 'resolve':
        return this.resolve(o.uid, o.ids, o.create, o.learntAt);
      case 'merge': {
        const other = live.length === 0 ? undefined : live[o.other % live.length];
        if (chosen === undefined || other === undefined || other === chosen) return;
        const got = this.store.merge(chosen, other, o.limits);
        const want = this.model.merge(
          this.byIndex.get(chosen) ?? -1,
          this.byIndex.get(other) ?? -1,
          o.limits,
        );
        assert.deepEqual(got, want, 'the IDs the caps dropped');
        this.byIndex.delete(other);
        return;
      }
      case 'attach':
        if (chosen === undefined) return;
        return this.both(chosen, (p, id) => {
          const got = this.store.attachId(p, o.type, o.value, o.learntAt, o.limits);
          assert.deepEqual(got, this.model.attachId(id, o.type, o.value, o.learntAt, o.limits));
        });
      case 'event':
        if (chosen === undefined) return;
        return this.both(chosen, (p, id) => {
          const { consent: c, ...rest } = o;
          const e: CollectedEvent = { uid: '', ids: {}, utm: {}, signals: {}, ...rest };
          // a copy per event, so that equal consents arrive as distinct objects
          if (c !== undefined) e.consent = structuredClone(c);
          this.store.recordEvent(p, e);
          this.model.recordEvent(id, e);
        });
      case 'realise':
        if (chosen === undefined) return;
        return this.both(chosen, (p, id) => {
          this.store.addRealisation(p, o.traitId, o.ts);
          this.model.addRealisation(id, o.traitId, o.ts);
        });
      case 'clear':
        this.store.clearTrait(o.traitId);
        return this.model.clearTrait(o.traitId);
      case 'forget': {
        const lifetime = (traitId: number): number | undefined => o.lifetimes[traitId - 1] ?? undefined;
        const got = this.store.forget(o.now, lifetime, o.profileLifetime);
        assert.deepEqual(got, this.model.forget(o.now, lifetime, o.profileLifetime));
        for (const [p, id] of this.byIndex) if (!this.model.profiles.has(id)) this.byIndex.delete(p);
        return;
      }
      case 'snapshot':
        // restoring must give a store whose every answer, and every later change, is the original's
        this.store = MemoryTenantProfiles.fromSnapshot(this.store.snapshotParts());
        return;
      case 'remove':
        if (chosen === undefined) return;
        return this.both(chosen, (p, id) => {
          this.store.remove(p);
          this.model.remove(id);
          this.byIndex.delete(p);
        });
    }
  }

  private resolve(
    uid: string,
    idsOfEvent: Record<string, string>,
    create: boolean,
    learntAt: number | undefined,
  ): void {
    const known = new Set(this.model.profiles.keys());
    const got = this.store.resolve(uid, idsOfEvent, create, learntAt);
    const want = this.model.resolve(uid, idsOfEvent, create, learntAt);
    if (want === undefined) return assert.equal(got, undefined);
    assert.notEqual(got, undefined);
    const p = got ?? -1;
    if (known.has(want)) assert.equal(this.byIndex.get(p), want, 'resolved to the wrong profile');
    else {
      assert.equal(this.byIndex.has(p), false, 'a new profile got a live index');
      this.byIndex.set(p, want);
    }
  }

  private both(p: number, fn: (p: number, id: number) => void): void {
    fn(p, this.byIndex.get(p) ?? -1);
  }

  /** Compares every observable answer of the store with the model's. */
  check(): void {
    const { store, model } = this;
    const live = [...this.byIndex.keys()].sort((a, b) => a - b);
    assert.equal(store.count(), model.profiles.size);
    assert.deepEqual(store.page(-1, 1000), live);
    assert.deepEqual(store.page(live[0] ?? -1, 2), live.slice(1, 3));
    const seen: number[] = [];
    store.forEach((p) => seen.push(p));
    assert.deepEqual(seen, live);
    const allIds: [string, string][] = [
      ...UIDS.map((u): [string, string] => ['uid', u]),
      ...Object.entries(ID_TYPES).flatMap(([type, values]) => values.map((v): [string, string] => [type, v])),
    ];
    for (const [type, value] of allIds) {
      const found = store.find(type, value);
      const want = model.find(type, value);
      assert.equal(found === undefined ? undefined : this.byIndex.get(found), want, `find ${type} ${value}`);
    }
    const edges = [-Infinity, T0 - 1, T0, T0 + 2 * QUARTER, T0 + 2 * QUARTER + 1, T0 + 6 * QUARTER, Infinity];
    for (const [p, id] of this.byIndex) {
      assert.equal(store.uidOf(p), model.idsOf(id).uid ?? '');
      assert.deepEqual(store.idsOf(p), model.idsOf(id));
      assert.deepEqual(store.allIds(p), model.allIds(id));
      assert.deepEqual(store.attributes(p), model.attributes(id));
      assert.deepEqual(store.traitSummaries(p), model.traitSummaries(id));
      assert.deepEqual(store.consentOf(p), model.consentOf(id));
      const view = store.view(p);
      for (const path of ALL_PATHS) assert.equal(view.attribute(path), model.attribute(id, path), path);
      for (const type of ['uid', 'maid', 'idfa', 'mai'])
        assert.equal(view.hasId(type), type in model.idsOf(id));
      for (const traitId of TRAITS) {
        assert.deepEqual(view.realisationTimes(traitId), model.realisationTimes(id, traitId));
        for (const after of edges) {
          for (const upTo of edges) {
            const want = model.countRealisations(id, traitId, after, upTo);
            assert.equal(view.countRealisations(traitId, after, upTo), want);
          }
        }
      }
    }
  }
}

void it('answers every question as a naive model does, over random sequences of operations (merges and several IDs of a type included)', () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 5, maxLength: 60, size: 'max' }), (ops) => {
      const pair = new Pair();
      for (const o of ops) {
        pair.apply(o);
        pair.check();
      }
    }),
    { numRuns: 300 },
  );
});
