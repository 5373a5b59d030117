import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CollectedEvent } from '../../src/core/event.ts';
import type { ProfileStore, TenantProfiles } from '../../src/profiles/profile-store.ts';

const T0 = Date.UTC(2025, 10, 20, 10, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;

function event(ts: number, more: Partial<CollectedEvent> = {}): CollectedEvent {
  return { uid: 'c-1', ids: {}, type: 'pageview', ts, utm: {}, signals: {}, geo: {}, device: {}, ...more };
}

function created(profiles: TenantProfiles, uid: string, ids: Record<string, string> = {}): number {
  const p = profiles.resolve(uid, ids, true);
  assert.notEqual(p, undefined);
  return p ?? -1;
}

/** Every answer of a tenant's profiles, by uid, for comparing two stores. */
function answers(profiles: TenantProfiles): unknown[] {
  const out: unknown[] = [];
  profiles.forEach((p) =>
    out.push({
      ids: profiles.idsOf(p),
      attributes: profiles.attributes(p),
      traits: profiles.traitSummaries(p),
      consent: profiles.consentOf(p),
      times: profiles.view(p).realisationTimes(7),
    }),
  );
  return out;
}

/**
 * The `ProfileStore` contract: tenants made on first use and kept apart, snapshots restored into a fresh
 * store, and the `TenantProfiles` semantics the rule language and the APIs rely on (ID resolution,
 * visits and attributes by event time, consent as state, realisations in windows, forgetting, removal,
 * paging, the column view). `open` gives a fresh, empty store each time.
 *
 * Example: `profileStoreContract('memory', createMemoryProfileStore)`.
 */
export function profileStoreContract(name: string, open: () => ProfileStore): void {
  const tenant = (): TenantProfiles => open().tenant('t');

  void describe(`ProfileStore contract: ${name}`, () => {
    void it('tenant() makes a tenant on first use and gives the same one again; tenants() lists them in order of first use', () => {
      const store = open();
      assert.deepEqual(store.tenants(), []);
      const acme = store.tenant('acme');
      store.tenant('globex');
      assert.equal(store.tenant('acme'), acme);
      assert.deepEqual(store.tenants(), ['acme', 'globex']);
      assert.equal(acme.count(), 0);
    });

    void it('keeps tenants apart: the same uid in two tenants is two profiles', () => {
      const store = open();
      const acme = store.tenant('acme');
      const globex = store.tenant('globex');
      const a = created(acme, 'c-1');
      acme.addRealisation(a, 7, 1000);
      assert.equal(globex.resolve('c-1', {}, false), undefined);
      const g = created(globex, 'c-1');
      assert.equal(globex.view(g).countRealisations(7, -Infinity, Infinity), 0);
      acme.remove(a);
      assert.equal(globex.find('uid', 'c-1'), g);
      assert.equal(acme.count(), 0);
      assert.equal(globex.count(), 1);
    });

    void it('restores each tenant from its snapshot parts into a fresh store, answering and changing as the original', () => {
      const store = open();
      const acme = store.tenant('acme');
      for (let i = 0; i < 20; i++) {
        const p = created(acme, `c-${i}`, { maid: `m-${i}` });
        acme.recordEvent(
          p,
          event(T0 + i * MIN, {
            uid: `c-${i}`,
            geo: { city: 'London' },
            consent: { gdpr: 1, tcf: `CQ${i % 3}` },
          }),
        );
        acme.addRealisation(p, 7, T0 + i);
      }
      acme.remove(acme.find('uid', 'c-4') ?? -1);
      created(store.tenant('globex'), 'c-2');
      const fresh = open();
      for (const t of store.tenants()) fresh.restoreTenant(t, store.tenant(t).snapshotParts());
      assert.deepEqual(fresh.tenants(), ['acme', 'globex']);
      const copy = fresh.tenant('acme');
      assert.deepEqual(answers(copy), answers(acme));
      assert.equal(copy.find('maid', 'm-3'), acme.find('maid', 'm-3'));
      assert.equal(fresh.tenant('globex').find('uid', 'c-1'), undefined);
      // the two stores then change apart
      acme.addRealisation(acme.find('uid', 'c-1') ?? -1, 7, T0 + DAY);
      assert.deepEqual(copy.view(copy.find('uid', 'c-1') ?? -1).realisationTimes(7), [T0 + 1]);
      assert.throws(() => fresh.restoreTenant('acme', []), /already has profiles/);
      assert.throws(() => fresh.restoreTenant('other', []));
      assert.deepEqual(fresh.tenants(), ['acme', 'globex'], 'a refused restore leaves no tenant behind');
    });

    void it("dropTenant forgets the tenant's profiles; the next tenant() starts empty", () => {
      const store = open();
      created(store.tenant('acme'), 'c-1');
      store.dropTenant('acme');
      assert.deepEqual(store.tenants(), []);
      assert.equal(store.tenant('acme').find('uid', 'c-1'), undefined);
      assert.equal(store.tenant('acme').count(), 0);
    });

    void it('resolve creates a profile for a new uid only when asked, and finds it again by uid', () => {
      const profiles = tenant();
      assert.equal(profiles.resolve('c-1', {}, false), undefined);
      assert.equal(profiles.count(), 0);
      const p = created(profiles, 'c-1');
      assert.equal(profiles.resolve('c-1', {}, false), p);
      assert.equal(profiles.find('uid', 'c-1'), p);
      assert.equal(profiles.uidOf(p), 'c-1');
      assert.equal(profiles.count(), 1);
    });

    void it('resolve finds a profile by another ID type and attaches the new IDs of the event to it', () => {
      const profiles = tenant();
      const p = created(profiles, 'c-1');
      assert.equal(profiles.resolve('c-1', { maid: 'm-1' }, true), p);
      assert.equal(profiles.find('maid', 'm-1'), p);
      assert.equal(profiles.resolve('c-9', { maid: 'm-1', partner_ttd: 't-1' }, false), p);
      assert.deepEqual(profiles.idsOf(p), { uid: 'c-1', maid: 'm-1', partner_ttd: 't-1' });
      assert.equal(profiles.view(p).hasId('partner_ttd'), true);
      assert.equal(profiles.view(p).hasId('idfa'), false);
      // a profile keeps its first ID of a type: c-9 was not attached
      assert.equal(profiles.find('uid', 'c-9'), undefined);
      assert.equal(profiles.count(), 1);
    });

    void it('resolve leaves an ID held by another profile where it is', () => {
      const profiles = tenant();
      const a = created(profiles, 'c-1', { maid: 'm-1' });
      const b = created(profiles, 'c-2', { idfa: 'i-2' });
      assert.equal(profiles.resolve('c-2', { maid: 'm-1' }, true), b);
      assert.notEqual(a, b);
      assert.equal(profiles.find('maid', 'm-1'), a);
      assert.deepEqual(profiles.idsOf(b), { uid: 'c-2', idfa: 'i-2' });
    });

    void it('recordEvent counts an event up to 30 minutes after the last one in the same visit, and starts a new one after', () => {
      const profiles = tenant();
      const p = created(profiles, 'c-1');
      profiles.recordEvent(p, event(T0));
      profiles.recordEvent(p, event(T0 + 30 * MIN));
      assert.equal(profiles.view(p).attribute('visits'), 1);
      profiles.recordEvent(p, event(T0 + 60 * MIN + 1));
      assert.equal(profiles.view(p).attribute('visits'), 2);
      assert.equal(profiles.view(p).attribute('first_seen'), T0);
      assert.equal(profiles.view(p).attribute('last_seen'), T0 + 60 * MIN + 1);
    });

    void it('recordEvent takes a late event into first seen, page views and visits (a visit of its own 5 days before)', () => {
      const profiles = tenant();
      const p = created(profiles, 'c-1');
      profiles.recordEvent(p, event(T0));
      profiles.recordEvent(p, event(T0 - 5 * DAY));
      assert.deepEqual(
        [profiles.attributes(p).firstSeen, profiles.attributes(p).lastSeen, profiles.attributes(p).visits],
        [T0 - 5 * DAY, T0, 2],
      );
      assert.equal(profiles.attributes(p).pageviews, 2);
    });

    void it('recordEvent counts page views only for events of type pageview', () => {
      const profiles = tenant();
      const p = created(profiles, 'c-1');
      profiles.recordEvent(p, event(T0));
      profiles.recordEvent(p, event(T0 + 1, { type: 'click' }));
      profiles.recordEvent(p, event(T0 + 2, { type: 'purchase' }));
      profiles.recordEvent(p, event(T0 + 3));
      assert.equal(profiles.view(p).attribute('pageviews'), 2);
    });

    void it('recordEvent keeps the geo and device of the latest event by event time, each as a group', () => {
      const profiles = tenant();
      const p = created(profiles, 'c-1');
      const london = { country: 'GB', region: 'GB-ENG', city: 'London' };
      const iphone = { type: 'mobile', os: 'iOS', browser: 'Mobile Safari' };
      profiles.recordEvent(p, event(T0, { geo: london, device: iphone }));
      profiles.recordEvent(
        p,
        event(T0 - MIN, { geo: { country: 'FR', city: 'Paris' }, device: { os: 'Android' } }),
      );
      assert.deepEqual(profiles.attributes(p).geo, london);
      assert.deepEqual(profiles.attributes(p).device, iphone);
      profiles.recordEvent(p, event(T0 + MIN)); // no geo, no device: nothing replaced
      assert.equal(profiles.view(p).attribute('geo.city'), 'London');
      profiles.recordEvent(p, event(T0 + 2 * MIN, { geo: { country: 'US' }, device: { type: 'desktop' } }));
      assert.deepEqual(profiles.attributes(p).geo, { country: 'US' });
      assert.deepEqual(profiles.attributes(p).device, { type: 'desktop' });
      assert.equal(profiles.view(p).attribute('geo.city'), undefined);
      assert.equal(profiles.view(p).attribute('device.type'), 'desktop');
    });

    void it('a profile with no event has every attribute absent or zero', () => {
      const profiles = tenant();
      const view = profiles.view(created(profiles, 'c-1'));
      assert.equal(view.attribute('first_seen'), undefined);
      assert.equal(view.attribute('last_seen'), undefined);
      assert.equal(view.attribute('visits'), 0);
      assert.equal(view.attribute('pageviews'), 0);
      assert.equal(view.attribute('geo.country'), undefined);
      assert.equal(view.attribute('no.such.path'), undefined);
    });

    void it('consent is the newest signal by event time, from events or recordConsent alone, whatever the arrival order', () => {
      const profiles = tenant();
      const p = created(profiles, 'c-1');
      assert.equal(profiles.consentOf(p), undefined);
      profiles.recordEvent(p, event(2_000, { consent: { gdpr: 1, tcf: 'new' } }));
      profiles.recordEvent(p, event(1_000, { consent: { gdpr: 1, tcf: 'older, arrived late' } }));
      profiles.recordEvent(p, event(3_000)); // carries none: keeps the last
      assert.deepEqual(profiles.consentOf(p), { gdpr: 1, tcf: 'new' });
      profiles.recordConsent(p, { gdpr: 1, tcf: 'withdrawn' }, 2_500);
      assert.deepEqual(profiles.consentOf(p), { gdpr: 1, tcf: 'withdrawn' });
      profiles.recordConsent(p, { gdpr: 1, tcf: 'stale' }, 2_400);
      assert.deepEqual(profiles.consentOf(p), { gdpr: 1, tcf: 'withdrawn' });
      assert.equal(profiles.attributes(p).visits, 1, 'recordConsent changes nothing else');
      // two signals at the same millisecond: the same one wins in either order
      const q = created(profiles, 'c-2');
      const r = created(profiles, 'c-3');
      profiles.recordConsent(q, { usp: '1YNN' }, 5_000);
      profiles.recordConsent(q, { usp: '1YYN' }, 5_000);
      profiles.recordConsent(r, { usp: '1YYN' }, 5_000);
      profiles.recordConsent(r, { usp: '1YNN' }, 5_000);
      assert.deepEqual(profiles.consentOf(q), profiles.consentOf(r));
      profiles.remove(p);
      const again = created(profiles, 'c-1');
      assert.equal(profiles.consentOf(again), undefined, 'a new profile has no consent of an old one');
    });

    void it('counts realisations in (afterExclusive, atOrBefore] at the window edges, and summarises them per trait', () => {
      const profiles = tenant();
      const p = created(profiles, 'c-1');
      for (const ts of [3000, 1000, 2000]) profiles.addRealisation(p, 7, ts);
      profiles.addRealisation(p, 8, 2000);
      const view = profiles.view(p);
      assert.equal(view.countRealisations(7, 1000, 3000), 2);
      assert.equal(view.countRealisations(7, 999, 1000), 1);
      assert.equal(view.countRealisations(7, 1000, 1999), 0);
      assert.equal(view.countRealisations(7, 2999, 2999), 0);
      assert.equal(view.countRealisations(7, -Infinity, Infinity), 3);
      assert.equal(
        profiles.view(p, true).countRealisations(7, 1000, 3000),
        2,
        'an indexed view answers alike',
      );
      assert.equal(view.countRealisations(8, -Infinity, Infinity), 1);
      assert.deepEqual(profiles.view(p).realisationTimes(7), [1000, 2000, 3000]);
      assert.deepEqual(profiles.traitSummaries(p), [
        { traitId: 7, count: 3, first: 1000, last: 3000 },
        { traitId: 8, count: 1, first: 2000, last: 2000 },
      ]);
    });

    void it('clearTrait forgets that trait on every profile and nothing else; removeRealisations one profile’s chosen ones', () => {
      const profiles = tenant();
      const a = created(profiles, 'c-1');
      const b = created(profiles, 'c-2');
      profiles.addRealisation(a, 7, 1000);
      profiles.addRealisation(b, 7, 1000);
      profiles.addRealisation(b, 8, 1000);
      profiles.addRealisation(b, 8, 2000);
      profiles.addRealisation(b, 9, 2000);
      profiles.clearTrait(7);
      assert.deepEqual(profiles.view(a).realisationTimes(7), []);
      assert.deepEqual(profiles.view(b).realisationTimes(7), []);
      assert.deepEqual(profiles.view(b).realisationTimes(8), [1000, 2000]);
      assert.equal(
        profiles.removeRealisations(b, (traitId, ts) => traitId === 8 && ts > 1500),
        1,
      );
      assert.deepEqual(profiles.view(b).realisationTimes(8), [1000]);
      assert.deepEqual(profiles.view(b).realisationTimes(9), [2000]);
      assert.equal(
        profiles.removeRealisations(a, () => true),
        0,
      );
    });

    void it('forget drops realisations at or older than their lifetime and all of a deleted trait', () => {
      const profiles = tenant();
      const p = created(profiles, 'c-1');
      profiles.recordEvent(p, event(T0));
      profiles.addRealisation(p, 7, T0 - 10 * DAY); // exactly at the edge: forgotten
      profiles.addRealisation(p, 7, T0 - 10 * DAY + 1);
      profiles.addRealisation(p, 9, T0); // trait 9 no longer exists
      const result = profiles.forget(T0, (id) => (id === 7 ? 10 * DAY : undefined), 120 * DAY);
      assert.deepEqual(result, { profilesRemoved: 0, realisationsForgotten: 2 });
      assert.deepEqual(profiles.view(p).realisationTimes(7), [T0 - 10 * DAY + 1]);
      assert.deepEqual(profiles.view(p).realisationTimes(9), []);
    });

    void it('forget removes profiles unseen for their lifetime with their IDs; one with no event is judged by its newest realisation', () => {
      const profiles = tenant();
      const stale = created(profiles, 'c-old', { maid: 'm-old' });
      const fresh = created(profiles, 'c-new');
      const onboarded = created(profiles, 'c-onboarded');
      const recent = created(profiles, 'c-recent');
      created(profiles, 'c-empty');
      profiles.recordEvent(stale, event(T0 - 120 * DAY));
      profiles.recordEvent(fresh, event(T0 - 120 * DAY + 1));
      profiles.addRealisation(stale, 7, T0);
      profiles.addRealisation(onboarded, 7, T0 - 200 * DAY);
      profiles.addRealisation(recent, 7, T0 - DAY);
      const result = profiles.forget(T0, () => 365 * DAY, 120 * DAY);
      assert.deepEqual(result, { profilesRemoved: 3, realisationsForgotten: 0 });
      assert.equal(profiles.find('uid', 'c-old'), undefined);
      assert.equal(profiles.find('maid', 'm-old'), undefined);
      assert.deepEqual(
        profiles.page(-1, 10),
        [fresh, recent].sort((x, y) => x - y),
      );
      const next = created(profiles, 'c-3');
      assert.deepEqual(profiles.idsOf(next), { uid: 'c-3' });
      assert.deepEqual(profiles.traitSummaries(next), []);
      assert.equal(profiles.view(next).attribute('last_seen'), undefined);
    });

    void it('remove drops the profile, its IDs and realisations; removing again does nothing', () => {
      const profiles = tenant();
      const a = created(profiles, 'c-1', { maid: 'm-1' });
      const b = created(profiles, 'c-2');
      profiles.addRealisation(a, 7, 1000);
      profiles.remove(a);
      profiles.remove(a);
      assert.equal(profiles.count(), 1);
      assert.equal(profiles.find('uid', 'c-1'), undefined);
      assert.equal(profiles.find('maid', 'm-1'), undefined);
      assert.deepEqual(profiles.page(-1, 10), [b]);
      const again = created(profiles, 'c-1');
      assert.deepEqual(profiles.view(again).realisationTimes(7), []);
      assert.deepEqual(profiles.idsOf(again), { uid: 'c-1' });
    });

    void it('page lists live indexes in ascending order, after an exclusive index, at most limit; forEach visits the same', () => {
      const profiles = tenant();
      const ps = ['a', 'b', 'c', 'd', 'e'].map((uid) => created(profiles, uid));
      profiles.remove(ps[2] ?? -1);
      const live = [ps[0], ps[1], ps[3], ps[4]].map((p) => p ?? -1).sort((x, y) => x - y);
      assert.deepEqual(profiles.page(-1, 2), live.slice(0, 2));
      assert.deepEqual(profiles.page(live[1] ?? -1, 10), live.slice(2));
      assert.deepEqual(profiles.page(live[3] ?? -1, 10), []);
      const seen: number[] = [];
      profiles.forEach((p) => seen.push(p));
      assert.deepEqual(
        seen.sort((x, y) => x - y),
        live,
      );
    });

    void it('columnsView holds what attributes() says, for live profiles below highWater', () => {
      const profiles = tenant();
      const a = created(profiles, 'c-1', { maid: 'm-1' });
      const b = created(profiles, 'c-2');
      const gone = created(profiles, 'c-3');
      profiles.recordEvent(
        a,
        event(T0, { geo: { country: 'GB', city: 'London' }, device: { type: 'mobile' } }),
      );
      profiles.recordEvent(a, event(T0 + 40 * MIN, { type: 'click' }));
      profiles.recordEvent(b, event(T0 + 5));
      profiles.remove(gone);
      const c = profiles.columnsView();
      assert.ok(c.highWater > Math.max(a, b));
      const live = Array.from({ length: c.highWater }, (_, p) => p).filter((p) => c.live[p] === 1);
      assert.deepEqual(
        live,
        [a, b].sort((x, y) => x - y),
      );
      for (const p of [a, b]) {
        const attributes = profiles.attributes(p);
        assert.equal(c.firstSeen[p], attributes.firstSeen);
        assert.equal(c.lastSeen[p], attributes.lastSeen);
        assert.equal(c.visits[p], attributes.visits);
        assert.equal(c.pageviews[p], attributes.pageviews);
        assert.equal(c.string(c.city[p] ?? 0), attributes.geo.city);
        assert.equal(c.string(c.deviceType[p] ?? 0), attributes.device.type);
      }
      assert.deepEqual([c.visits[a], c.pageviews[a]], [2, 1]);
      assert.equal(c.hasId(a, 'maid'), true);
      assert.equal(c.hasId(b, 'maid'), false);
      assert.equal(c.string(0), undefined);
    });
  });
}
