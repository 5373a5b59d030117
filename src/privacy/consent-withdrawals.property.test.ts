import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CollectedEvent } from '../core/event.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import { applyConsentRecord } from '../qualify/apply-consent.ts';
import { consentRecords } from './consent-withdrawals.ts';

const T0 = Date.UTC(2026, 10, 20);
const UIDS = ['c-0', 'c-1', 'c-2', 'c-3', 'c-4', ''];
const MAIDS = ['m-0', 'm-1', 'm-2', 'm-3', ''];

const visitor = fc.record({
  uid: fc.constantFrom(...UIDS),
  ids: fc.record(
    { maid: fc.constantFrom(...MAIDS), idfa: fc.constantFrom('i-0', 'i-9') },
    { requiredKeys: [] },
  ),
});
const refusal = fc.record({
  visitor,
  ts: fc.integer({ min: 0, max: 3_600_000 }).map((ms) => T0 + ms),
  consent: fc.constantFrom({ gdpr: 1 as const }, { gdpr: 1 as const, tcf: 'CQ-no-purpose-1' }, { gpc: true }),
});

function event(v: { uid: string; ids: Record<string, string> }, ts = T0): CollectedEvent {
  return {
    uid: v.uid,
    ids: { ...v.ids },
    type: 'pageview',
    ts,
    url: { href: 'https://shop.example.com/secret', host: 'shop.example.com', path: '/secret', query: {} },
    utm: {},
    signals: { plan: 'gold' },
    geo: { country: 'GB' },
    device: {},
    ip: '81.2.69.0',
  };
}

it('refusals of untrusted events: records only for known visitors, naming only held IDs, changing only consent', () => {
  fc.assert(
    fc.property(
      fc.array(visitor, { maxLength: 4 }),
      fc.array(refusal, { maxLength: 8 }),
      (known, refusals) => {
        const profiles = createMemoryProfileStore().tenant('t1');
        for (const v of known) if (v.uid !== '') profiles.resolve(v.uid, v.ids, true);
        const held = (type: string, id: string) => id !== '' && profiles.find(type, id) !== undefined;
        const before = profiles.count();
        const ids = () => {
          const all: string[] = [];
          profiles.forEach((p) => all.push(JSON.stringify(profiles.idsOf(p))));
          return all;
        };
        const idsBefore = ids();
        const events = refusals.map((r) => ({ ...event(r.visitor, r.ts), consent: r.consent }));
        const records = consentRecords('t1', events, [], profiles);

        const isKnown = (e: CollectedEvent) =>
          held('uid', e.uid) || Object.entries(e.ids).some(([type, id]) => held(type, id));
        assert.equal(records.length, events.filter(isKnown).length, 'one record per known visitor refusing');
        for (const record of records) {
          assert.deepEqual(
            Object.keys(record).sort(),
            ['consent', 'ids', 'kind', 'tenant', 'ts', 'uid'].filter(
              (k) => k !== 'ids' || record.ids !== undefined,
            ),
          );
          assert.ok(record.uid === '' || held('uid', record.uid), 'the uid is one the DMP holds');
          for (const [type, id] of Object.entries(record.ids ?? {}))
            assert.ok(held(type, id), `${type} is held`);
          assert.ok(applyConsentRecord(profiles, record) !== undefined, 'it finds its profile');
        }
        assert.equal(profiles.count(), before, 'no profile made');
        assert.deepEqual(ids(), idsBefore, 'no ID attached');
      },
    ),
    { numRuns: 300 },
  );
});
