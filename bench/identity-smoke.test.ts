import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BenchResult } from './bench-result.ts';
import { extraIds, identityIngestBench } from './identity-ingest-bench.ts';
import { benchIds } from './identity-ids.ts';
import { identityMemoryBench } from './identity-memory-bench.ts';
import { identityResolveBench } from './identity-resolve-bench.ts';
import { identitySyncBench } from './identity-sync-bench.ts';

// The identity benches of `npm run bench -- --only identity` at tiny sizes. Each throws when its two
// sides disagree (profiles found, events accepted, merges made, IDs held, answers of the server), so a
// test passing means both sides did the same work. Nothing here is about time.

function bothRan(rows: BenchResult[]): void {
  assert.ok(rows.length > 0);
  for (const r of rows) {
    assert.equal(typeof r.ours, 'number', `${r.path}: ours gave no figure`);
    assert.equal(typeof r.peer, 'number', `${r.path}: the peer gave no figure`);
  }
}

test('the synthetic IDs: every profile has a cookie, no two profiles share an ID', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 3_000; i++) {
    const ids = benchIds(i);
    assert.equal(ids[0]![0], 'uid');
    for (const [type, value] of ids) {
      const key = `${type}\u0000${value}`;
      assert.ok(!seen.has(key), `${key} given twice`);
      seen.add(key);
    }
  }
});

test('the ingestion IDs: pairs share an e-mail hash or a MAID, the others have their own', () => {
  assert.equal(extraIds(10).email_sha256, extraIds(11).email_sha256);
  assert.equal(extraIds(15).maid, extraIds(16).maid);
  assert.notEqual(extraIds(12).email_sha256, extraIds(13).email_sha256);
  assert.equal(extraIds(17).email_sha256, undefined);
});

test('resolve: the profile store and the Map find the same profile for every ID', () => {
  bothRan(identityResolveBench(500, 2_000));
});

test('ingestion: with IDs, exactly the expected pairs merge; without, none', async () => {
  bothRan(await identityIngestBench(300, 2_000));
});

test('memory: the index and the Map hold the same IDs, each measured in its own process', async () => {
  bothRan(await identityMemoryBench(2_000, 2));
});

test('sync: every /cookie_sync lists a partner, every /setuid stores its ID', async () => {
  bothRan(await identitySyncBench(300, 4));
});
