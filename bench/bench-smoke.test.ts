import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import type { BenchResult } from './bench-result.ts';
import { sameAnswer } from './bench-result.ts';
import type { BenchTenant } from './bench-tenant.ts';
import { loadBenchTenant } from './bench-tenant.ts';
import type { DuckCopy } from './duck-export.ts';
import { copyToDuckDB } from './duck-export.ts';
import { ingestRows } from './ingest-bench.ts';
import { lookupBench } from './lookup-bench.ts';
import { overlapBench } from './overlap-bench.ts';
import { qualifyBench } from './qualify-bench.ts';
import { resegmentBench } from './resegment-bench.ts';
import { sizeBench } from './size-bench.ts';
import { memoryBench } from './memory-bench.ts';

// The cheapest in-process paths of `npm run bench -- --quick`, at a tiny size. A bench throws when its
// two sides disagree, so each test passing means ours and the peer computed the same answers. No timing.
let data: BenchTenant;
let duck: DuckCopy;

before(async () => {
  data = await loadBenchTenant({
    profiles: 300,
    days: 30,
    ruleTraits: 60,
    segments: 40,
    batchSize: 1_000,
    measureIngest: true,
    keepEvents: 1_000,
    ingestEvents: 1_000, // the first days through the pipeline, the rest by the bulk path of `dmp demo`
  });
  duck = await copyToDuckDB(data.app, data.tenant, data.now);
});

after(async () => {
  duck.close();
  await data.close();
  await data.remove();
});

/** Whether the local Redis answers (the lookup and memory peers need it). */
async function redisUp(): Promise<boolean> {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 0 });
  const up = await redis.connect().then(
    () => true,
    () => false,
  );
  redis.disconnect();
  return up;
}

function bothRan(rows: BenchResult[]): void {
  assert.ok(rows.length > 0);
  for (const r of rows) {
    assert.equal(typeof r.ours, 'number', `${r.path}: ours gave no figure`);
    assert.equal(typeof r.peer, 'number', `${r.path}: the peer gave no figure`);
  }
}

test('ingestion: the pipeline and the raw append stored the same number of events', () => {
  assert.ok(data.ingest.events >= 1_000 && data.ingest.events < data.demo.eventCount());
  assert.equal(data.profiles, 300, 'the bulk-loaded days made the rest of the profiles');
  bothRan(ingestRows(data.ingest, 'tiny'));
});

test('qualification: indexed and naive rules realise the same traits', async () => {
  bothRan(await qualifyBench(data.app, data.tenant, data.kept, 1));
});

test('size of a rule: ours and DuckDB over the translated SQL give the same sizes', async () => {
  bothRan(await sizeBench(data.app, data.tenant, duck, 40, 1));
});

test('overlap: ours and DuckDB give the same matrix', async () => {
  bothRan(await overlapBench(data.app, data.tenant, duck, 20, 1));
});

test('re-segmentation: ours and DuckDB give the same size for every segment', async () => {
  bothRan(await resegmentBench(data.app, data.tenant, duck, 1));
});

test('segment lookup: in process and Redis give the same memberships', async (t) => {
  if (!(await redisUp())) {
    t.skip('no Redis on 127.0.0.1:6379');
    return;
  }
  bothRan(await lookupBench(data.app, data.tenant, 100, 200));
});

test('memory: the child replays the data set (bulk-loaded days included) and measures it', async (t) => {
  if (!(await redisUp())) {
    t.skip('no Redis on 127.0.0.1:6379');
    return;
  }
  await data.close(); // the child opens the data folder itself; the last test to use the program
  const rows = await memoryBench(data.dataDir, data.tenant);
  assert.ok(rows.some((r) => typeof r.ours === 'number' && r.path.startsWith('memory per profile')));
});

test('a disagreement between the two sides stops the bench', () => {
  assert.throws(() => sameAnswer('size of x', 10, 11), /disagree/);
  assert.doesNotThrow(() => sameAnswer('size of x', [1, 2], [1, 2]));
});
