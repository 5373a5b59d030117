import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultLimits } from './collect-limits.ts';
import { createEnricher } from './enricher.ts';
import { parseEventBody } from './parse-event-body.ts';
import { validateBatch } from './validate-batch.ts';

const ctx = {
  now: Date.parse('2026-11-20T12:00:00Z'),
  maxAgeMs: 120 * 86_400_000,
  maxFutureMs: 300_000,
  limits: defaultLimits,
  trusted: false,
  enrich: createEnricher({}),
};

void test('validateBatch keeps every good event of a batch with bad ones, and lists rejections in order', () => {
  const body = JSON.stringify([
    { uid: 'a' },
    { uid: 1 },
    { uid: 'b', type: 'click' },
    'x',
    { ids: { maid: '6D92078A-8246-4BA4-AE5B-76104861E7DC' } },
    { uid: 'c', ids: { email_sha256: 'ann@example.com' } },
  ]);
  const parsed = parseEventBody(body, 'application/json', defaultLimits);
  assert.ok(!('error' in parsed));
  const { events, rejected } = validateBatch(parsed, ctx);
  assert.deepEqual(
    events.map((e) => `${e.uid}/${e.type}`),
    ['a/pageview', 'b/click', 'maid:6d92078a-8246-4ba4-ae5b-76104861e7dc/pageview'],
  );
  assert.deepEqual(
    rejected.map((r) => r.index),
    [1, 3, 5],
  );
  assert.match(rejected[0]?.error ?? '', /^events\[1\]\.uid:/);
  // a clear e-mail address as a hash: refused with the path and how to hash it, the others kept
  assert.match(rejected[2]?.error ?? '', /^events\[5\]\.ids\.email_sha256: email_sha256 takes a hash/);
});

void test('validateBatch merges NDJSON line rejections with validation rejections by index', () => {
  const parsed = parseEventBody('{"uid":1}\n{broken\n{"uid":"ok"}\n', 'application/x-ndjson', defaultLimits);
  assert.ok(!('error' in parsed));
  const { events, rejected } = validateBatch(parsed, ctx);
  assert.deepEqual(
    events.map((e) => e.uid),
    ['ok'],
  );
  assert.deepEqual(
    rejected.map((r) => [r.index, r.error.slice(0, 12)]),
    [
      [0, 'events[0].ui'],
      [1, 'line 2 is no'],
    ],
  );
});
