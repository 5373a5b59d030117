import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedEvent } from '../core/event.ts';
import { DEFAULT_ID_CAPS } from '../core/identity/index.ts';
import { MemoryTenantProfiles } from './memory-tenant-profiles.ts';

const T0 = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;

function event(ts: number, extra: Partial<CollectedEvent> = {}): CollectedEvent {
  return { uid: '', ids: {}, type: 'pageview', ts, utm: {}, signals: {}, geo: {}, device: {}, ...extra };
}

/** A phone profile (uid and maid) and a laptop profile (uid), each with an event and a realisation. */
function phoneAndLaptop() {
  const profiles = new MemoryTenantProfiles();
  const phone = profiles.resolve('c-phone', { maid: 'm-1' }, true, T0)!;
  const laptop = profiles.resolve('c-laptop', {}, true, T0 + 50 * MIN)!;
  profiles.recordEvent(phone, event(T0, { geo: { country: 'GB' }, device: { type: 'mobile' } }));
  profiles.recordEvent(laptop, event(T0 + 50 * MIN, { device: { type: 'desktop' }, consent: { gdpr: 0 } }));
  profiles.addRealisation(phone, 7, T0);
  profiles.addRealisation(laptop, 7, T0 + 50 * MIN);
  return { profiles, phone, laptop };
}

void describe('MemoryTenantProfiles.merge', () => {
  void it('gives the survivor both profiles: IDs (two uids), events, realisations, consent; the absorbed one is gone', () => {
    const { profiles, phone, laptop } = phoneAndLaptop();
    assert.deepEqual(profiles.merge(phone, laptop), { droppedIds: [] });
    assert.equal(profiles.count(), 1);
    assert.equal(profiles.find('uid', 'c-laptop'), phone);
    assert.deepEqual(profiles.allIds(phone), [
      { type: 'uid', value: 'c-phone', learntAt: T0 },
      { type: 'maid', value: 'm-1', learntAt: T0 },
      { type: 'uid', value: 'c-laptop', learntAt: T0 + 50 * MIN },
    ]);
    // one ID of each type for callers that read one: the survivor's, learnt first
    assert.deepEqual(profiles.idsOf(phone), { uid: 'c-phone', maid: 'm-1' });
    assert.equal(profiles.uidOf(phone), 'c-phone');
    assert.deepEqual(profiles.attributes(phone), {
      firstSeen: T0,
      lastSeen: T0 + 50 * MIN,
      visits: 2, // 50 minutes apart
      pageviews: 2,
      geo: { country: 'GB' },
      device: { type: 'desktop' }, // the later event's
    });
    assert.deepEqual(profiles.consentOf(phone), { gdpr: 0 });
    assert.deepEqual(profiles.traitSummaries(phone), [
      { traitId: 7, count: 2, first: T0, last: T0 + 50 * MIN },
    ]);
  });

  void it('joins two visits when a late event of the other profile falls between them', () => {
    const { profiles, phone, laptop } = phoneAndLaptop();
    profiles.recordEvent(laptop, event(T0 + 25 * MIN));
    assert.equal(profiles.attributes(laptop).visits, 1);
    profiles.merge(laptop, phone);
    // T0, T0 + 25 min, T0 + 50 min: each within 30 minutes of the one before
    assert.deepEqual(profiles.visitsOf(laptop), [[T0, T0 + 50 * MIN]]);
    assert.equal(profiles.attributes(laptop).visits, 1);
  });

  void it('applies the caps to the merged IDs: the oldest of a type goes and is returned', () => {
    const { profiles, phone, laptop } = phoneAndLaptop();
    profiles.attachId(laptop, 'uid', 'c-old', T0 - 60 * MIN);
    const caps = { perType: { ...DEFAULT_ID_CAPS.perType, uid: 2 }, otherwise: 3 };
    const { droppedIds } = profiles.merge(phone, laptop, { caps });
    assert.deepEqual(droppedIds, [{ type: 'uid', value: 'c-old', learntAt: T0 - 60 * MIN }]);
    assert.equal(profiles.find('uid', 'c-old'), undefined);
    assert.deepEqual(
      profiles.allIds(phone).map((id) => id.value),
      ['c-phone', 'm-1', 'c-laptop'],
    );
    // a cap on the profile's IDs in all: the oldest goes, ties to the larger type (uid after maid)
    const all = profiles.merge(phone, profiles.resolve('c-new', {}, true, T0 + 60 * MIN)!, { perProfile: 2 });
    assert.deepEqual(
      all.droppedIds.map((id) => id.value),
      ['c-phone', 'm-1'],
    );
  });

  void it('learns an ID again at the later time, and keeps several of a type through attachId', () => {
    const profiles = new MemoryTenantProfiles();
    const p = profiles.resolve('c-1', { maid: 'm-1' }, true, T0)!;
    assert.equal(profiles.resolve('c-1', { maid: 'm-1' }, false, T0 + 5_000), p);
    assert.equal(profiles.resolve('c-1', {}, false, T0 + 1_000), p, 'an earlier time changes nothing');
    // resolve takes no second ID of a type the profile holds; attachId does
    assert.equal(profiles.resolve('c-1', { maid: 'm-2' }, false, T0), p);
    assert.equal(profiles.find('maid', 'm-2'), undefined);
    assert.deepEqual(profiles.attachId(p, 'maid', 'm-2', T0 + 2_000), { attached: true, droppedIds: [] });
    assert.deepEqual(profiles.allIds(p), [
      { type: 'uid', value: 'c-1', learntAt: T0 + 5_000 },
      { type: 'maid', value: 'm-1', learntAt: T0 + 5_000 },
      { type: 'maid', value: 'm-2', learntAt: T0 + 2_000 },
    ]);
    const other = profiles.resolve('c-2', {}, true)!;
    assert.deepEqual(profiles.attachId(other, 'maid', 'm-2'), { attached: false, droppedIds: [] });
    assert.deepEqual(profiles.allIds(other), [{ type: 'uid', value: 'c-2', learntAt: NaN }]);
  });

  void it('refuses to merge a profile into itself or a removed one', () => {
    const { profiles, phone, laptop } = phoneAndLaptop();
    assert.throws(() => profiles.merge(phone, phone), /cannot merge profile 0 into 0/);
    profiles.remove(laptop);
    assert.throws(() => profiles.merge(phone, laptop), RangeError);
    assert.throws(() => profiles.merge(phone, phone, { perProfile: 0 }), RangeError);
  });
});
