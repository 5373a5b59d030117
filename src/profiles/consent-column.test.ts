import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedEvent } from '../core/event.ts';
import { ConsentColumn } from './consent-column.ts';
import { createMemoryProfileStore } from './memory-profile-store.ts';

const event = (ts: number, consent?: CollectedEvent['consent']): CollectedEvent => ({
  uid: 'c-1',
  ids: {},
  type: 'pageview',
  ts,
  utm: {},
  signals: {},
  geo: {},
  device: {},
  consent,
});

test('the profile keeps the consent of its latest event that carried one, and forgets it on removal', () => {
  const profiles = createMemoryProfileStore().tenant('t');
  const p = profiles.resolve('c-1', {}, true)!;
  assert.equal(profiles.consentOf(p), undefined);
  profiles.recordEvent(p, event(2_000, { gdpr: 1, tcf: 'new' }));
  profiles.recordEvent(p, event(1_000, { gdpr: 1, tcf: 'older, arrived late' }));
  profiles.recordEvent(p, event(3_000));
  assert.deepEqual(profiles.consentOf(p), { gdpr: 1, tcf: 'new' });
  profiles.remove(p);
  const q = profiles.resolve('c-2', {}, true)!;
  assert.equal(q, p, 'the freed index is reused');
  assert.equal(profiles.consentOf(q), undefined, 'a reused index does not inherit consent');
});

test('equal consents share one table entry, which leaves the table with its last holder', () => {
  const column = new ConsentColumn();
  for (let p = 0; p < 100; p++) column.record(p, { gdpr: 1, tcf: 'CQ-shared', gppSid: [2] }, 1_000);
  column.record(100, { tcf: 'CQ-shared', gdpr: 1, gppSid: [2] }, 1_000); // same fields, another order
  assert.equal(column.distinct(), 1);
  assert.equal(column.of(3), column.of(100), 'one object for all holders');
  assert.deepEqual(column.of(3), { gdpr: 1, tcf: 'CQ-shared', gppSid: [2] });
  column.record(5, { usp: '1YNN' }, 2_000);
  assert.equal(column.distinct(), 2);
  for (let p = 0; p <= 100; p++) if (p !== 5) column.clear(p);
  assert.equal(column.distinct(), 1, 'no profile holds the shared consent any more');
  assert.deepEqual(column.of(5), { usp: '1YNN' });
  assert.equal(column.of(3), undefined);
  column.record(5, { usp: '1YNN' }, 3_000);
  assert.equal(column.distinct(), 1, 'recording the consent a profile holds keeps one entry');
  column.clear(5);
  assert.equal(column.distinct(), 0);
});
