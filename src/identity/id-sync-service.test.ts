import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedEvent } from '../core/event.ts';
import type { SyncPartner } from '../core/identity/index.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import type { SyncProfiles } from './id-sync-service.ts';
import { learntTimes } from './id-sync-service.ts';

const T = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;

function partner(code: string): SyncPartner {
  return {
    code,
    name: code,
    syncUrl: 'https://p.example/s?r=${REDIRECT}',
    type: 'redirect',
    resyncDays: 14,
    idLifetimeDays: 90,
    uidMacro: '$UID',
  };
}

function event(uid: string, ids: Record<string, string>, ts: number): CollectedEvent {
  return { uid, ids, type: 'idsync', ts, utm: {}, signals: {}, geo: {}, device: {} };
}

/** A profile of the real memory store that learnt `ssp_a` and `crm` at T, then was seen again 2 hours later. */
function visitor() {
  const profiles = createMemoryProfileStore().tenant('acme');
  const p = profiles.resolve('c-1', { ssp_a: 'A-1', crm: 'K-1' }, true)!;
  profiles.recordEvent(p, event('c-1', { ssp_a: 'A-1', crm: 'K-1' }, T));
  profiles.recordEvent(p, event('c-1', {}, T + 2 * HOUR));
  return { profiles, p };
}

void describe('learntTimes', () => {
  const partners = [partner('ssp_a'), partner('ssp_b')];

  void it("gives each partner's ID the profile's last seen when the store knows no learnt time", () => {
    const { profiles, p } = visitor();
    // the port as a store without learnt times offers it: no allIds
    const withoutTimes: SyncProfiles = {
      find: (type, id) => profiles.find(type, id),
      idsOf: (q) => profiles.idsOf(q),
      attributes: (q) => profiles.attributes(q),
    };
    assert.deepEqual(learntTimes(withoutTimes, p, partners), { ssp_a: T + 2 * HOUR });
  });

  void it('takes the latest learnt time per partner when the store gives them, and last seen for an ID without', () => {
    const { profiles, p } = visitor();
    // the learnt times as a store with several IDs per type gives them (NaN: attached without a time)
    const learnt: SyncProfiles = {
      find: (type, id) => profiles.find(type, id),
      idsOf: (q) => profiles.idsOf(q),
      attributes: (q) => profiles.attributes(q),
      allIds: () => [
        { type: 'uid', learntAt: T },
        { type: 'ssp_a', learntAt: T - HOUR },
        { type: 'ssp_a', learntAt: T + HOUR },
        { type: 'ssp_b', learntAt: Number.NaN },
        { type: 'crm', learntAt: T },
      ],
    };
    assert.deepEqual(learntTimes(learnt, p, partners), { ssp_a: T + HOUR, ssp_b: T + 2 * HOUR });
  });
});
