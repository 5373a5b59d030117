import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedEvent } from '../core/event.ts';
import { MemoryTenantProfiles } from './memory-tenant-profiles.ts';
import type { SnapshotPart } from './profile-store.ts';
import { jsonPart } from './snapshot-parts.ts';

const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
const MIN = 60_000;

function event(ts: number, more: Partial<CollectedEvent> = {}): CollectedEvent {
  return { uid: 'c-1', ids: {}, type: 'pageview', ts, utm: {}, signals: {}, geo: {}, device: {}, ...more };
}

/** A new store with one profile that received `events` in this order; returns the store and the profile. */
function received(...events: CollectedEvent[]): { profiles: MemoryTenantProfiles; p: number } {
  const profiles = new MemoryTenantProfiles();
  const p = profiles.resolve('c-1', {}, true) ?? -1;
  for (const e of events) profiles.recordEvent(p, e);
  return { profiles, p };
}

void describe('visits whatever the order of arrival', () => {
  void it('counts two events 2 hours apart sent newest first as two visits', () => {
    const { profiles, p } = received(event(T0 + 120 * MIN), event(T0));
    assert.equal(profiles.attributes(p).visits, 2);
    assert.equal(profiles.attributes(p).firstSeen, T0);
  });

  void it('joins two visits into one when a late event falls within 30 minutes of both', () => {
    const { profiles, p } = received(event(T0), event(T0 + 50 * MIN));
    assert.equal(profiles.attributes(p).visits, 2);
    profiles.recordEvent(p, event(T0 + 25 * MIN));
    assert.equal(profiles.attributes(p).visits, 1);
  });

  void it('extends the first visit backwards by up to 30 minutes, and counts one older as a visit', () => {
    const { profiles, p } = received(event(T0 + 3 * 60 * MIN), event(T0 + 60 * MIN));
    profiles.recordEvent(p, event(T0 + 30 * MIN)); // exactly 30 minutes before: the same visit
    assert.equal(profiles.attributes(p).visits, 2);
    profiles.recordEvent(p, event(T0 - 1)); // 30 minutes and 1 ms before: a visit of its own
    assert.equal(profiles.attributes(p).visits, 3);
    profiles.recordEvent(p, event(T0 + 15 * MIN)); // between the two: joins them
    assert.equal(profiles.attributes(p).visits, 2);
  });

  void it('keeps every visit in the snapshot: a late event after a restore still joins two', () => {
    const { profiles, p } = received(event(T0), event(T0 + 50 * MIN), event(T0 + 5 * 60 * MIN));
    const restored = MemoryTenantProfiles.fromSnapshot(profiles.snapshotParts());
    restored.recordEvent(p, event(T0 + 25 * MIN));
    assert.equal(restored.attributes(p).visits, 2);
    assert.deepEqual(restored.attributes(p), { ...profiles.attributes(p), visits: 2, pageviews: 4 });
  });

  void it('forgets the visits of a removed profile: its reused index starts afresh', () => {
    const { profiles, p } = received(event(T0), event(T0 + 2 * 60 * MIN), event(T0 + 4 * 60 * MIN));
    profiles.remove(p);
    const q = profiles.resolve('c-2', {}, true);
    assert.equal(q, p, 'the freed index is reused');
    profiles.recordEvent(p, event(T0 + 10 * 60 * MIN));
    profiles.recordEvent(p, event(T0 + 9 * 60 * MIN));
    assert.equal(profiles.attributes(p).visits, 2);
    profiles.recordEvent(p, event(T0 + 3 * 60 * MIN));
    assert.equal(profiles.attributes(p).visits, 3);
  });

  void it('refuses a snapshot of version 2 (it has no visits), so that the log is replayed instead', () => {
    const { profiles } = received(event(T0));
    const parts: SnapshotPart[] = profiles
      .snapshotParts()
      .map((part) =>
        part.name === 'profiles.meta' ? jsonPart('profiles.meta', { version: 2, littleEndian: true }) : part,
      );
    assert.throws(() => MemoryTenantProfiles.fromSnapshot(parts), /profiles\.meta: cannot read/);
  });
});

void describe('latest geo, device and consent on equal times', () => {
  const london = { country: 'GB', city: 'London' };
  const paris = { country: 'FR', city: 'Paris' };
  const iphone = { type: 'mobile', os: 'iOS' };
  const firefox = { type: 'desktop', browser: 'Firefox' };

  void it('chooses by the values, not by which event came last', () => {
    const a = event(T0, { geo: london, device: iphone, consent: { gdpr: 1, tcf: 'CQ-a' } });
    const b = event(T0, { geo: paris, device: firefox, consent: { gdpr: 0 } });
    const one = received(a, b);
    const other = received(b, a);
    assert.deepEqual(one.profiles.attributes(one.p), other.profiles.attributes(other.p));
    assert.deepEqual(one.profiles.consentOf(one.p), other.profiles.consentOf(other.p));
    // "GB" sorts after "FR", "mobile" after "desktop"
    assert.deepEqual(one.profiles.attributes(one.p).geo, london);
    assert.deepEqual(one.profiles.attributes(one.p).device, iphone);
  });
});
