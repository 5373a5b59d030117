import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRate } from './event-rate.ts';

const T = Date.parse('2026-12-07T10:00:00Z');

void test('events count for 60 s, per second, then fall out of the window', () => {
  const rate = new EventRate();
  rate.add('acme', 30, T);
  rate.add('acme', 5, T + 999);
  rate.add('acme', 7, T + 30_000);
  assert.equal(rate.lastWindow('acme', T), 35);
  assert.equal(rate.lastWindow('acme', T + 59_999), 42);
  assert.equal(rate.lastWindow('acme', T + 60_000), 7, "the first second's 35 have left the window");
  assert.equal(rate.lastWindow('acme', T + 89_999), 7);
  assert.equal(rate.lastWindow('acme', T + 90_000), 0);
  assert.equal(rate.lastWindow('acme', T - 1000), 0, 'nothing counts before it happened');
});

void test('a slot reused a minute later starts again from zero', () => {
  const rate = new EventRate();
  rate.add('acme', 100, T);
  rate.add('acme', 3, T + 60_000); // the same slot, 60 s later
  assert.equal(rate.lastWindow('acme', T + 60_000), 3);
  rate.add('acme', 50, T); // late (a slow request): the slot now holds a newer second
  assert.equal(rate.lastWindow('acme', T + 60_000), 3);
});

void test('tenants are counted apart; no events and unknown tenants are zero', () => {
  const rate = new EventRate(10);
  rate.add('a', 4, T);
  rate.add('b', 9, T);
  rate.add('a', 0, T);
  assert.equal(rate.lastWindow('a', T + 9_000), 4);
  assert.equal(rate.lastWindow('b', T + 9_000), 9);
  assert.equal(rate.lastWindow('a', T + 10_000), 0, 'a window of 10 s');
  assert.equal(rate.lastWindow('ghost', T), 0);
});
