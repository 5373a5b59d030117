import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, manualClock } from '../core/clock.ts';
import type { CollectedEvent } from '../core/event.ts';
import { ServiceError } from '../core/service-error.ts';
import { openSqliteCatalog } from '../catalog/sqlite-catalog.ts';
import { Audit } from '../governance/audit.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import type { MatchProfiles } from './match-rate.ts';
import { ageBucket, countMatchRate, MatchRates } from './match-rate.ts';
import { PartnerService } from './partner-service.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

function event(uid: string, ids: Record<string, string>, ts: number): CollectedEvent {
  return { uid, ids, type: 'pageview', ts, utm: {}, signals: {}, geo: {}, device: {} };
}

/**
 * Five visitors of the real memory store: three with an `ssp_a` ID last seen 0, 5 and 100 days ago, one
 * with only an `ssp_b` ID, one with none.
 */
function tenantProfiles() {
  const profiles = createMemoryProfileStore().tenant('acme');
  const visit = (uid: string, ids: Record<string, string>, daysAgo: number) => {
    const p = profiles.resolve(uid, ids, true)!;
    profiles.recordEvent(p, event(uid, ids, NOW - daysAgo * DAY_MS));
    return p;
  };
  return {
    profiles,
    a0: visit('c-0', { ssp_a: 'A-0' }, 0),
    a5: visit('c-5', { ssp_a: 'A-5' }, 5),
    a100: visit('c-100', { ssp_a: 'A-100' }, 100),
    b: visit('c-b', { ssp_b: 'B-1' }, 1),
    none: visit('c-n', {}, 2),
  };
}

/** The port as a store without learnt times offers it (no allIds). */
function withoutLearntTimes(profiles: MatchProfiles): MatchProfiles {
  return {
    count: () => profiles.count(),
    forEach: (fn) => profiles.forEach(fn),
    idsOf: (p) => profiles.idsOf(p),
    attributes: (p) => profiles.attributes(p),
  };
}

void describe('match rate', () => {
  void it('ageBucket: whole days up to and including each bucket end; negative ages are 0', () => {
    assert.deepEqual([-3, 0, 1, 2, 7, 8, 30, 31, 90, 91, 5000].map(ageBucket), [
      '0-1',
      '0-1',
      '0-1',
      '2-7',
      '2-7',
      '8-30',
      '8-30',
      '31-90',
      '31-90',
      '91+',
      '91+',
    ]);
  });

  void it("counts the live profiles holding the partner's type, by the profile's last seen without learnt times", () => {
    const { profiles } = tenantProfiles();
    assert.deepEqual(countMatchRate(withoutLearntTimes(profiles), 'ssp_a', NOW), {
      partner: 'ssp_a',
      profiles: 5,
      matched: 3,
      rate: 0.6,
      byAgeDays: { '0-1': 1, '2-7': 1, '8-30': 0, '31-90': 0, '91+': 1 },
      ageFrom: 'lastSeen',
      at: '2026-11-20T12:00:00.000Z',
    });
    const none = countMatchRate(withoutLearntTimes(profiles), 'ssp_c', NOW);
    assert.deepEqual([none.matched, none.rate], [0, 0]);
    const empty = countMatchRate(createMemoryProfileStore().tenant('empty'), 'ssp_a', NOW);
    assert.deepEqual([empty.profiles, empty.matched, empty.rate], [0, 0, 0]);
  });

  void it('takes the freshest learnt time of the type when the store gives them (last seen for one without)', () => {
    const { profiles, a0, a5, a100 } = tenantProfiles();
    const learnt: Record<number, { type: string; learntAt?: number }[]> = {
      // last seen today, but its ssp_a mapping was learnt 40 days ago, and another 10 days ago
      [a0]: [
        { type: 'uid', learntAt: NOW },
        { type: 'ssp_a', learntAt: NOW - 40 * DAY_MS },
        { type: 'ssp_a', learntAt: NOW - 10 * DAY_MS },
      ],
      // no time for its ID: its last seen (5 days ago) stands for it
      [a5]: [{ type: 'ssp_a', learntAt: Number.NaN }],
      [a100]: [{ type: 'ssp_a', learntAt: NOW - 100 * DAY_MS }],
    };
    const withTimes: MatchProfiles = {
      ...withoutLearntTimes(profiles),
      allIds: (p) => learnt[p] ?? [],
    };
    const rate = countMatchRate(withTimes, 'ssp_a', NOW);
    assert.equal(rate.ageFrom, 'learntAt');
    assert.equal(rate.matched, 3);
    assert.deepEqual(rate.byAgeDays, { '0-1': 0, '2-7': 1, '8-30': 1, '31-90': 0, '91+': 1 });
  });

  void it('MatchRates: an unknown partner is a 404 of the partner service; counted at the clock', async (t) => {
    const catalog = await openSqliteCatalog(':memory:');
    t.after(() => catalog.close());
    const { tenant } = await catalog.createTenant('acme');
    const partners = new PartnerService(catalog, new Audit(catalog));
    await partners.create(
      tenant,
      { code: 'ssp_a', name: 'SSP A', type: 'redirect', syncUrl: 'https://ssp-a.example/s?r=${REDIRECT}' },
      'key:aaaa',
    );
    const { profiles } = tenantProfiles();
    const rates = new MatchRates({
      partners,
      profilesOf: () => withoutLearntTimes(profiles),
      clock: manualClock(NOW + DAY_MS),
    });
    const rate = await rates.of(tenant, 'ssp_a');
    // the mapping of 100 days ago has outlived the partner's idLifetimeDays (90 by default): not matched
    assert.equal(rate.matched, 2);
    assert.equal(rate.at, '2026-11-21T12:00:00.000Z');
    assert.deepEqual(rate.byAgeDays, { '0-1': 1, '2-7': 1, '8-30': 0, '31-90': 0, '91+': 0 });
    // a tenant's setting of a longer lifetime counts it again
    const longer = new MatchRates({
      partners,
      profilesOf: () => withoutLearntTimes(profiles),
      clock: manualClock(NOW + DAY_MS),
      lifetimes: () => Promise.resolve({ perType: { ssp_a: 365 } }),
    });
    assert.equal((await longer.of(tenant, 'ssp_a')).matched, 3);
    await assert.rejects(
      rates.of(tenant, 'ssp_b'),
      (e: unknown) => e instanceof ServiceError && e.status === 404,
    );
  });
});
