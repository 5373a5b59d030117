import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultLimits } from './collect-limits.ts';
import { createEnricher } from './enricher.ts';
import { FIELD_CHECKS } from './event-field-checks.ts';
import { EVENT_FIELDS, validateEvent } from './validate-event.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ctx = {
  now: NOW,
  maxAgeMs: 120 * 86_400_000,
  maxFutureMs: 300_000,
  limits: defaultLimits,
  trusted: false,
  enrich: createEnricher({}),
};
const errorOf = (raw: unknown): string => {
  const result = validateEvent(raw, 0, ctx);
  assert.equal(result.ok, false, JSON.stringify(raw));
  return result.ok ? '' : result.rejection.error;
};

test('every documented field has exactly one check, and only those', () => {
  const checked = FIELD_CHECKS.map((c) => c.field);
  assert.equal(new Set(checked).size, checked.length);
  assert.deepEqual([...checked].sort(), [...EVENT_FIELDS].sort());
});

test('the first refusal in the table order is the answer', () => {
  // ids is checked before uid, which it may stand for
  assert.match(errorOf({ ids: 7, uid: 7 }), /^events\[0\]\.ids: /);
  // a missing visitor ID is refused before the fields after uid are looked at
  assert.match(errorOf({ type: '', ts: 'x' }), /^events\[0\]: has no visitor ID/);
  assert.match(errorOf({ uid: 'a', type: '', ts: 'x' }), /^events\[0\]\.type: /);
  assert.match(errorOf({ uid: 'a', ts: 'x', url: 1 }), /^events\[0\]\.ts: /);
  // geo before device, each refused for a sender without the API key
  assert.match(errorOf({ uid: 'a', device: {}, geo: {} }), /^events\[0\]\.geo: only server-to-server/);
  assert.match(errorOf({ uid: 'a', device: {} }), /^events\[0\]\.device: only server-to-server/);
});

test('null is absent: the defaults stay', () => {
  const nulls = Object.fromEntries(EVENT_FIELDS.map((f) => [f, null]));
  const result = validateEvent({ ...nulls, uid: 'a' }, 0, ctx);
  assert.ok(result.ok);
  assert.equal(result.event.type, 'pageview');
  assert.equal(result.event.ts, NOW);
  assert.equal('id' in result.event, false);
});
