import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultLimits } from './collect-limits.ts';
import { createEnricher } from './enricher.ts';
import { pixelToRawEvent } from './pixel-to-raw-event.ts';
import { validateEvent } from './validate-event.ts';
import type { ValidateContext } from './validate-context.ts';

const ctx: ValidateContext = {
  now: Date.parse('2026-11-20T12:00:00Z'),
  maxAgeMs: 120 * 86_400_000,
  maxFutureMs: 300_000,
  limits: defaultLimits,
  trusted: false,
  enrich: createEnricher({}),
};

void test('an event keeps its id (1 to 128 characters); without one it has no id field', () => {
  for (const id of ['order-1', 'x', 'é'.repeat(128), ' ']) {
    const result = validateEvent({ id, uid: 'c-1' }, 0, ctx);
    assert.ok(result.ok);
    assert.equal(result.event.id, id);
  }
  for (const raw of [{ uid: 'c-1' }, { uid: 'c-1', id: null }]) {
    const result = validateEvent(raw, 0, ctx);
    assert.ok(result.ok);
    assert.equal('id' in result.event, false);
  }
});

void test('an id that is not a string, empty, or longer than 128 characters is refused, saying where and why', () => {
  const cases: [unknown, string][] = [
    [42, 'events[3].id: expected a string of 1 to 128 characters, got a number 42'],
    [['a'], 'events[3].id: expected a string of 1 to 128 characters, got an array'],
    [{ v: 'a' }, 'events[3].id: expected a string of 1 to 128 characters, got an object'],
    [true, 'events[3].id: expected a string of 1 to 128 characters, got a boolean'],
    ['', 'events[3].id: is empty'],
    ['x'.repeat(129), 'events[3].id: is 129 characters long; the limit is 128'],
  ];
  for (const [id, message] of cases) {
    const result = validateEvent({ id, uid: 'c-1' }, 3, ctx);
    assert.equal(result.ok, false, JSON.stringify(id));
    if (!result.ok) assert.ok(result.rejection.error.startsWith(message), result.rejection.error);
  }
});

void test('the pixel takes the event id from ?id=', () => {
  const result = validateEvent(pixelToRawEvent({ site: 'k', uid: 'c-1', id: 'px-1' }, undefined), 0, ctx);
  assert.ok(result.ok);
  assert.equal(result.event.id, 'px-1');
});

void test('property: any id value gives the same id back or a rejection of events[i].id', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 2 })), (id) => {
      const result = validateEvent({ id, uid: 'c-1' }, 5, ctx);
      const good = typeof id === 'string' && id.length >= 1 && id.length <= 128;
      if (id === null) assert.ok(result.ok && !('id' in result.event));
      else if (good) assert.ok(result.ok && result.event.id === id);
      else assert.ok(!result.ok && result.rejection.error.startsWith('events[5].id: '));
    }),
  );
});
