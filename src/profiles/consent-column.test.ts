import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedEvent } from '../core/event.ts';
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
