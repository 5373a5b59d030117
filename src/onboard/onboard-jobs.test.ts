import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OnboardRecord } from '../core/onboard/index.ts';
import { ChunkBuilder, encodeRows, parseCsvRecords, csvColumns } from '../core/onboard/index.ts';
import { TEST_NOW, testContext } from '../core/onboard/onboard-test-context.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import type { TenantProfiles } from '../profiles/profile-store.ts';
import { OnboardJobs, withRows } from './onboard-jobs.ts';

function chunk(job: string, n: number, csv: string, mode: 'full' | 'delta', last = false): OnboardRecord {
  const columns = csvColumns(['id', 'traits']);
  if (!columns.ok) throw new Error(columns.message);
  const builder = new ChunkBuilder(testContext(mode), 100);
  parseCsvRecords(csv, 0, true, columns.columns, 2, builder);
  const rows = builder.rows();
  const record: OnboardRecord = {
    kind: 'onboard',
    tenant: 't1',
    source: 'partner',
    job,
    chunk: n,
    mode,
    ts: TEST_NOW,
    end: n * 100,
    rowEnd: n * 10,
    rows: encodeRows(rows),
    stats: builder.stats,
  };
  if (mode === 'full' && n === 1) record.sourceTraits = [1, 2, 3, 4, 5];
  if (last) record.last = true;
  return withRows(record, rows);
}

function held(profiles: TenantProfiles): Record<string, string> {
  const out: Record<string, string> = {};
  profiles.forEach((p) => {
    out[profiles.uidOf(p)] = profiles
      .traitSummaries(p)
      .map((t) => `${t.traitId}x${t.count}`)
      .join(',');
  });
  return out;
}

const target = (profiles: TenantProfiles) => ({ profiles, index: undefined, changed: () => {} });

test('a chunk is applied once, and only right after the chunk before it', () => {
  const profiles = createMemoryProfileStore().tenant('t1');
  const jobs = new OnboardJobs();
  const one = chunk('j', 1, 'c-1,t1\n', 'delta');
  const two = chunk('j', 2, 'c-2,t2\n', 'delta');
  const three = chunk('j', 3, 'c-3,t3\n', 'delta', true);
  assert.equal(jobs.apply(two, target(profiles)), 0, 'chunk 2 before chunk 1 is ignored');
  assert.equal(jobs.apply(one, target(profiles)), 1);
  assert.equal(jobs.apply(one, target(profiles)), 0, 'chunk 1 again is ignored');
  assert.equal(jobs.apply(two, target(profiles)), 1);
  assert.equal(jobs.apply(three, target(profiles)), 1);
  assert.equal(jobs.apply(three, target(profiles)), 0);
  assert.deepEqual(held(profiles), { 'c-1': '1x1', 'c-2': '2x1', 'c-3': '3x1' });
  const progress = jobs.progress('j');
  assert.equal(progress?.chunks, 3);
  assert.equal(progress?.done, true);
  assert.equal(progress?.stats.accepted, 3);
});

test('replaying the log text gives the same profiles as the live rows', () => {
  const records = [
    chunk('a', 1, 'c-1,t1|t2\nc-2,t3\n', 'delta', true),
    chunk('b', 1, 'c-1,-t1|t4\nc-3,t5\n', 'delta', true),
    chunk('c', 1, 'c-1,t2\nc-9,t1\n', 'full'),
    chunk('c', 2, 'c-1,t3\n', 'full', true),
  ];
  const live = createMemoryProfileStore().tenant('t1');
  const liveJobs = new OnboardJobs();
  for (const r of records) liveJobs.apply(r, target(live));
  const replayed = createMemoryProfileStore().tenant('t1');
  const replayJobs = new OnboardJobs();
  for (const r of records) replayJobs.apply(JSON.parse(JSON.stringify(r)) as OnboardRecord, target(replayed));
  assert.deepEqual(held(replayed), held(live));
  // full job c: c-1 holds t2 and t3 (its two rows add up), c-2 and c-3 lost the source's traits
  assert.deepEqual(held(live), { 'c-1': '2x1,3x1', 'c-2': '', 'c-3': '', 'c-9': '1x1' });
});

test('IDs that opted out after their chunk was written are skipped and counted', () => {
  const profiles = createMemoryProfileStore().tenant('t1');
  const jobs = new OnboardJobs();
  jobs.useOptOuts((_tenant, _type, id) => id === 'c-2');
  jobs.apply(chunk('j', 1, 'c-1,t1\nc-2,t1\n', 'delta', true), target(profiles));
  assert.deepEqual(held(profiles), { 'c-1': '1x1' });
  assert.deepEqual(jobs.progress('j')?.stats, {
    read: 2,
    accepted: 1,
    rejected: 0,
    optedOut: 1,
    reasons: {},
  });
});
