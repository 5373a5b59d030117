import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLruCache } from './lru-cache.ts';

void test('createLruCache holds at most its capacity and keeps recently used entries', () => {
  const cache = createLruCache<string, number>(4);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.set('c', 3); // young generation full: a, b age
  assert.equal(cache.get('a'), 1); // a is used again, so it moves back to the young generation
  cache.set('d', 4);
  cache.set('e', 5);
  cache.set('f', 6);
  assert.ok(cache.size <= 4);
  assert.equal(cache.get('b'), undefined, 'b was never used again: evicted');
  assert.equal(cache.get('f'), 6);
  for (let i = 0; i < 1000; i++) cache.set(`k${i}`, i);
  assert.ok(cache.size <= 4);
  assert.equal(cache.get('k999'), 999);
});

void test('createLruCache set replaces a value held in either generation', () => {
  const cache = createLruCache<string, number>(4);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.set('c', 3);
  cache.set('a', 10);
  assert.equal(cache.get('a'), 10);
});
