import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedEvent } from '../core/event.ts';
import { MemoryTenantProfiles } from './memory-tenant-profiles.ts';

const T0 = Date.UTC(2025, 10, 20, 10, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;

function event(ts: number, more: Partial<CollectedEvent> = {}): CollectedEvent {
  return { uid: 'c-1', ids: {}, type: 'pageview', ts, utm: {}, signals: {}, geo: {}, device: {}, ...more };
}

function created(profiles: MemoryTenantProfiles, uid: string, ids: Record<string, string> = {}): number {
  const p = profiles.resolve(uid, ids, true);
  assert.notEqual(p, undefined);
  return p ?? -1;
}

void describe('resolve and find', () => {
  void it('creates a profile for a new uid and finds it again by uid', () => {
    const profiles = new MemoryTenantProfiles();
    assert.equal(profiles.resolve('c-1', {}, false), undefined);
    const p = created(profiles, 'c-1');
    assert.equal(profiles.resolve('c-1', {}, false), p);
    assert.equal(profiles.find('uid', 'c-1'), p);
    assert.equal(profiles.uidOf(p), 'c-1');
    assert.equal(profiles.count(), 1);
  });

  void it('finds a profile by another ID type and attaches the new IDs of the event to it', () => {
    const profiles = new MemoryTenantProfiles();
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

  void it('leaves an ID held by another profile where it is', () => {
    const profiles = new MemoryTenantProfiles();
    const a = created(profiles, 'c-1', { maid: 'm-1' });
    const b = created(profiles, 'c-2', { idfa: 'i-2' });
    // found by its uid first; m-1 stays with a
    assert.equal(profiles.resolve('c-2', { maid: 'm-1' }, true), b);
    assert.notEqual(a, b);
    assert.equal(profiles.find('maid', 'm-1'), a);
    assert.deepEqual(profiles.idsOf(b), { uid: 'c-2', idfa: 'i-2' });
  });
});

void describe('recordEvent', () => {
  void it('counts an event exactly 30 minutes after the last one in the same visit', () => {
    const profiles = new MemoryTenantProfiles();
    const p = created(profiles, 'c-1');
    profiles.recordEvent(p, event(T0));
    assert.equal(profiles.view(p).attribute('visits'), 1);
    profiles.recordEvent(p, event(T0 + 30 * MIN));
    assert.equal(profiles.view(p).attribute('visits'), 1);
  });

  void it('starts a new visit 30 minutes and 1 ms after the last event', () => {
    const profiles = new MemoryTenantProfiles();
    const p = created(profiles, 'c-1');
    profiles.recordEvent(p, event(T0));
    profiles.recordEvent(p, event(T0 + 30 * MIN + 1));
    assert.equal(profiles.view(p).attribute('visits'), 2);
    assert.equal(profiles.view(p).attribute('first_seen'), T0);
    assert.equal(profiles.view(p).attribute('last_seen'), T0 + 30 * MIN + 1);
  });

  void it('takes a late event into first seen, page views and visits (a visit of its own 5 days before)', () => {
    const profiles = new MemoryTenantProfiles();
    const p = created(profiles, 'c-1');
    profiles.recordEvent(p, event(T0));
    profiles.recordEvent(p, event(T0 - 5 * DAY));
    const attributes = profiles.attributes(p);
    assert.equal(attributes.firstSeen, T0 - 5 * DAY);
    assert.equal(attributes.lastSeen, T0);
    assert.equal(attributes.visits, 2);
    assert.equal(attributes.pageviews, 2);
  });

  void it('counts page views only for events of type pageview', () => {
    const profiles = new MemoryTenantProfiles();
    const p = created(profiles, 'c-1');
    profiles.recordEvent(p, event(T0));
    profiles.recordEvent(p, event(T0 + 1, { type: 'click' }));
    profiles.recordEvent(p, event(T0 + 2, { type: 'purchase' }));
    profiles.recordEvent(p, event(T0 + 3));
    assert.equal(profiles.view(p).attribute('pageviews'), 2);
  });

  void it('keeps the geo and device of the latest event by event time, each as a group', () => {
    const profiles = new MemoryTenantProfiles();
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

  void it('leaves every attribute of a profile with no event absent or zero', () => {
    const profiles = new MemoryTenantProfiles();
    const p = created(profiles, 'c-1');
    const view = profiles.view(p);
    assert.equal(view.attribute('first_seen'), undefined);
    assert.equal(view.attribute('last_seen'), undefined);
    assert.equal(view.attribute('visits'), 0);
    assert.equal(view.attribute('geo.country'), undefined);
    assert.equal(view.attribute('no.such.path'), undefined);
  });
});

void describe('realisations', () => {
  void it('counts realisations in (afterExclusive, atOrBefore] at the window edges', () => {
    const profiles = new MemoryTenantProfiles();
    const p = created(profiles, 'c-1');
    for (const ts of [3000, 1000, 2000]) profiles.addRealisation(p, 7, ts);
    profiles.addRealisation(p, 8, 2000);
    const view = profiles.view(p);
    assert.equal(view.countRealisations(7, 1000, 3000), 2);
    assert.equal(view.countRealisations(7, 999, 1000), 1);
    assert.equal(view.countRealisations(7, 1000, 1999), 0);
    assert.equal(view.countRealisations(7, 2999, 2999), 0);
    assert.equal(view.countRealisations(7, -Infinity, Infinity), 3);
    assert.equal(view.countRealisations(8, -Infinity, Infinity), 1);
    assert.deepEqual(view.realisationTimes(7), [1000, 2000, 3000]);
    assert.deepEqual(profiles.traitSummaries(p), [
      { traitId: 7, count: 3, first: 1000, last: 3000 },
      { traitId: 8, count: 1, first: 2000, last: 2000 },
    ]);
  });

  void it('clearTrait forgets that trait on every profile and nothing else', () => {
    const profiles = new MemoryTenantProfiles();
    const a = created(profiles, 'c-1');
    const b = created(profiles, 'c-2');
    profiles.addRealisation(a, 7, 1000);
    profiles.addRealisation(b, 7, 1000);
    profiles.addRealisation(b, 8, 1000);
    profiles.clearTrait(7);
    assert.deepEqual(profiles.view(a).realisationTimes(7), []);
    assert.deepEqual(profiles.view(b).realisationTimes(7), []);
    assert.deepEqual(profiles.view(b).realisationTimes(8), [1000]);
  });
});

void describe('forget and remove', () => {
  void it('forgets realisations at or older than their lifetime and all of a deleted trait', () => {
    const profiles = new MemoryTenantProfiles();
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

  void it('removes profiles unseen for their lifetime with their IDs, and reuses their index', () => {
    const profiles = new MemoryTenantProfiles();
    const stale = created(profiles, 'c-old', { maid: 'm-old' });
    const fresh = created(profiles, 'c-new');
    profiles.recordEvent(stale, event(T0 - 120 * DAY));
    profiles.recordEvent(fresh, event(T0 - 120 * DAY + 1));
    profiles.addRealisation(stale, 7, T0);
    const result = profiles.forget(T0, () => 365 * DAY, 120 * DAY);
    assert.deepEqual(result, { profilesRemoved: 1, realisationsForgotten: 0 });
    assert.equal(profiles.find('uid', 'c-old'), undefined);
    assert.equal(profiles.find('maid', 'm-old'), undefined);
    assert.equal(profiles.find('uid', 'c-new'), fresh);
    assert.deepEqual(profiles.page(-1, 10), [fresh]);
    const reused = created(profiles, 'c-3');
    assert.equal(reused, stale);
    assert.deepEqual(profiles.idsOf(reused), { uid: 'c-3' });
    assert.deepEqual(profiles.traitSummaries(reused), []);
    assert.equal(profiles.view(reused).attribute('last_seen'), undefined);
  });

  void it('judges a profile with no event by its newest realisation, and removes one with neither', () => {
    const profiles = new MemoryTenantProfiles();
    const onboarded = created(profiles, 'c-1');
    const recent = created(profiles, 'c-2');
    created(profiles, 'c-empty');
    profiles.addRealisation(onboarded, 7, T0 - 200 * DAY);
    profiles.addRealisation(recent, 7, T0 - DAY);
    const result = profiles.forget(T0, () => 365 * DAY, 120 * DAY);
    assert.equal(result.profilesRemoved, 2);
    assert.deepEqual(profiles.page(-1, 10), [recent]);
  });

  void it('remove drops the profile, its IDs and realisations; removing again does nothing', () => {
    const profiles = new MemoryTenantProfiles();
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
  });
});

void describe('page and forEach', () => {
  void it('lists live indexes in ascending order, after an exclusive index, at most limit', () => {
    const profiles = new MemoryTenantProfiles();
    const ps = ['a', 'b', 'c', 'd', 'e'].map((uid) => created(profiles, uid));
    profiles.remove(ps[2] ?? -1);
    assert.deepEqual(profiles.page(-1, 2), [ps[0], ps[1]]);
    assert.deepEqual(profiles.page(ps[1] ?? -1, 10), [ps[3], ps[4]]);
    assert.deepEqual(profiles.page(ps[4] ?? -1, 10), []);
    const seen: number[] = [];
    profiles.forEach((p) => seen.push(p));
    assert.deepEqual(seen, [ps[0], ps[1], ps[3], ps[4]]);
  });
});
