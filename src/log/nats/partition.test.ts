import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleRecord } from '../testing/sample-records.ts';
import { SHARED_PARTITION, fnv1a, partitionOf, partitionSubjects } from './partition.ts';

void test('fnv1a is the 32-bit FNV-1a of the UTF-8 bytes (published test vectors)', () => {
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
  assert.equal(fnv1a('é'), fnv1a('\u00e9'));
  assert.notEqual(fnv1a('é'), fnv1a('e\u0301'), 'bytes, not normalised text');
});

void test("a profile's events, deletion and consent share one partition; tenant-level records go to shared", () => {
  const event = sampleRecord(7, 't1'); // uid u7
  const expected = String(fnv1a('t1\nu7') % 8);
  assert.equal(partitionOf(event, 8), expected);
  assert.equal(partitionOf({ kind: 'delete', tenant: 't1', uid: 'u7' }, 8), expected);
  const consent = { kind: 'consent', tenant: 't1', uid: 'u7', ts: 1, consent: {} } as const;
  assert.equal(partitionOf(consent, 8), expected);
  assert.equal(
    partitionOf({ kind: 'identity', tenant: 't1', caps: { perType: {}, otherwise: 3 }, perProfile: 2 }, 8),
    SHARED_PARTITION,
  );
  assert.equal(partitionOf({ kind: 'erased', tenant: 't1' }, 8), SHARED_PARTITION);
  assert.equal(partitionOf({ kind: 'links', tenant: 't1', ts: 1, rows: [] }, 8), SHARED_PARTITION);
});

void test('the tenant is part of the key, and 1000 visitors spread over all 8 partitions', () => {
  const counts = new Map<string, number>();
  for (let n = 0; n < 1000; n++) {
    const p = partitionOf(sampleRecord(n, 't1'), 8);
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort(), ['0', '1', '2', '3', '4', '5', '6', '7']);
  for (const [p, count] of counts) assert.ok(count > 80 && count < 170, `partition ${p}: ${count}`);
  const differs = Array.from({ length: 50 }, (_, n) => n).filter(
    (n) => partitionOf(sampleRecord(n, 't1'), 8) !== partitionOf(sampleRecord(n, 't2'), 8),
  );
  assert.ok(differs.length > 30, `${differs.length} of 50 uids land elsewhere for another tenant`);
});

void test('partitionSubjects lists every partition and shared', () => {
  assert.deepEqual(partitionSubjects('dmp.log', 3), [
    'dmp.log.0',
    'dmp.log.1',
    'dmp.log.2',
    'dmp.log.shared',
  ]);
});
