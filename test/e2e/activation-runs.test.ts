import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import type { ActivationRun } from '../../src/catalog/catalog.ts';
import type { FunnelReport } from '../../src/core/activation/index.ts';
import type { PartnerServer } from '../helpers/partner-server.ts';
import type { World } from '../helpers/activation-world.ts';
import { maidOf } from '../helpers/fake-ids.ts';
import {
  WITHOUT_VENDOR,
  WITH_VENDOR,
  assertFunnelAddsUp,
  runViaApi,
  seedRules,
  startWorld,
  step,
} from '../helpers/activation-world.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const clock = manualClock(NOW);

/** Traits, segments and visitors: v-01..v-07 pricing fans, v-08 lost at consent, v-05..v-07 with a maid. */
async function seed(w: World): Promise<void> {
  await seedRules(w);
  const events = [];
  for (let i = 1; i <= 7; i++) {
    const uid = `v-0${i}`;
    events.push({
      uid,
      url: 'https://shop.example.com/pricing',
      consent: { gdpr: 1, tcf: WITH_VENDOR },
      ...(i >= 5 ? { ids: { maid: maidOf(`m-${i}`) } } : {}),
    });
  }
  events.push({ uid: 'v-02', url: 'https://shop.example.com/blog' });
  events.push({
    uid: 'v-08',
    url: 'https://shop.example.com/pricing',
    consent: { gdpr: 1, tcf: WITHOUT_VENDOR },
  });
  events.push({ uid: 'v-09', url: 'https://shop.example.com/about' });
  assert.equal(await w.post(events), 202);
}

const hook = (partner: PartnerServer, code: string, extra: Record<string, unknown> = {}) => ({
  kind: 'http',
  code,
  name: code,
  segments: [
    { segment: 'pricing_fans', id: '607' },
    { segment: 'readers', id: '12' },
  ],
  idType: 'uid',
  consent: { vendorId: 755, purposes: [1, 3, 4] },
  restrictions: [],
  settings: { url: partner.url, batchSize: 3 },
  ...extra,
});

const fileDestination = (code: string, idType: string, format: 'csv' | 'ndjson') => ({
  kind: 'file',
  code,
  name: code,
  segments: [{ segment: 'pricing_fans', id: '607' }],
  idType,
  consent: { vendorId: 755, purposes: [1, 3, 4] },
  restrictions: [],
  settings: {
    format,
    mode: 'delta',
    batchSize: 4,
    columns: [
      { name: 'id', from: 'id' },
      { name: 'segs', from: 'segment_ids', separator: ';' },
      { name: 'action', from: 'action' },
    ],
  },
});

const FANS = ['v-01', 'v-02', 'v-03', 'v-04', 'v-05', 'v-06', 'v-07'];

test('http runs: retries then success, the same batch IDs when re-run, dead letters with the reason', async (t) => {
  const w = await startWorld(clock);
  t.after(() => w.close());
  await seed(w);
  assert.equal((await w.call('POST', '/v1/destinations', hook(w.partner, 'hook'))).status, 201);
  w.partner.answerNext(2, { status: 500 });
  const first = await runViaApi(w, 'hook', { mode: 'full', runId: 'r1' });
  assert.equal(first.status, 'succeeded', JSON.stringify(first.report));
  const requests = w.partner.requests;
  assert.deepEqual(
    requests.map((r) => r.status),
    [500, 500, 200, 200, 200],
  );
  const keys = requests.map((r) => r.headers['idempotency-key']);
  assert.deepEqual(keys.slice(0, 3), [keys[0], keys[0], keys[0]], 'a retried batch keeps its ID');
  assert.deepEqual(
    requests.map((r) => r.body.batchId),
    keys,
  );
  const batches = [...w.partner.accepted.values()];
  assert.deepEqual(batches.flatMap((b) => b.added.map((a) => a.id)).sort(), FANS);
  assert.deepEqual(batches.flatMap((b) => b.added).find((a) => a.id === 'v-02')?.segments, ['607', '12']);
  const funnel = (first.report as { funnel: FunnelReport }).funnel;
  assertFunnelAddsUp(funnel);
  assert.equal(step(funnel, 'eligible').count, 8);
  assert.equal(step(funnel, 'consented').lost, 1);
  assert.match(step(funnel, 'consented').reasons[0]?.reason ?? '', /755/);
  assert.equal(step(funnel, 'acknowledged').count, 7);

  const again = await runViaApi(w, 'hook', { runId: 'r1' });
  assert.equal(again.status, 'succeeded');
  assert.equal(w.partner.duplicates, 3, 'the re-run batches carry the same IDs: the partner drops them');
  assert.equal(w.partner.accepted.size, 3);

  assert.equal((await w.call('POST', '/v1/destinations', hook(w.partner, 'hook-dl'))).status, 201);
  w.partner.answerNext(3, { status: 503 });
  w.partner.answerNext(1, { status: 400 });
  const partial = await runViaApi(w, 'hook-dl', { mode: 'full' });
  assert.equal(partial.status, 'partial');
  const letters = (await w.call('GET', '/v1/destinations/hook-dl/dead-letters?limit=10')).body as {
    deadLetters: { reason: string; attempts: number; batchId: string; payload: { batchId: string } }[];
  };
  assert.deepEqual(letters.deadLetters.map((l) => [l.reason, l.attempts]).sort(), [
    ['HTTP 400 is not retryable', 1],
    ['HTTP 503 after 3 attempts', 3],
  ]);
  for (const l of letters.deadLetters) assert.equal(l.payload.batchId, l.batchId);
  const lostAtAck = step((partial.report as { funnel: FunnelReport }).funnel, 'acknowledged');
  assert.equal(lostAtAck.count, 1);
  assert.equal(lostAtAck.lost, 6);
  assert.match(lostAtAck.reasons.map((r) => r.reason).join(' '), /HTTP 503 after 3 attempts/);

  const history = (await w.call('GET', '/v1/destinations/hook/runs?limit=5')).body as {
    runs: ActivationRun[];
  };
  assert.deepEqual(
    history.runs.map((r) => [r.runId, r.status]),
    [['r1', 'succeeded']],
  );
  const one = await w.call('GET', '/v1/runs/r1');
  assert.equal((one.body as { report: { counts: { members: number } } }).report.counts.members, 7);
  assert.equal((await w.call('GET', '/v1/runs/nope')).status, 404);
  assert.equal((await w.call('POST', '/v1/destinations/nope/runs', {})).status, 404);
});

test('Retry-After is honoured and the rate limit paces the requests', async (t) => {
  const w = await startWorld(clock);
  t.after(() => w.close());
  await seed(w);
  const paced = hook(w.partner, 'paced', {
    rateLimitPerSecond: 20,
    settings: { url: w.partner.url, batchSize: 1 },
  });
  assert.equal((await w.call('POST', '/v1/destinations', paced)).status, 201);
  w.partner.answerNext(1, { status: 429, retryAfter: '1' });
  const run = await w.app.runner.run(w.tenant, 'paced', { mode: 'full' });
  assert.equal(run.status, 'succeeded');
  const at = w.partner.requests.map((r) => r.at);
  assert.equal(at.length, 8);
  assert.ok(at[1]! - at[0]! >= 990, `Retry-After: 1 waited ${at[1]! - at[0]!} ms`);
  // paced at send time; arrival times jitter a little, so: the average rate, and no burst
  const span = at[at.length - 1]! - at[1]!;
  assert.ok(span >= (at.length - 2) * 50 - 10, `${at.length - 1} requests in ${span} ms at 20/s`);
  // no burst: any four requests in a row span three paced gaps (150 ms), less one late arrival's jitter;
  // unpaced, they arrive within a few ms
  for (let i = 4; i < at.length; i++) {
    const four = at[i]! - at[i - 3]!;
    assert.ok(four >= 100, `requests ${i - 3} to ${i} came within ${four} ms`);
  }
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

test("a slow partner slows neither collection nor another destination's run", async (t) => {
  const w = await startWorld(clock);
  t.after(() => w.close());
  await seed(w);
  const slow = hook(w.partner, 'slow', { settings: { url: w.partner.url, batchSize: 1 } });
  assert.equal((await w.call('POST', '/v1/destinations', slow)).status, 201);
  assert.equal(
    (await w.call('POST', '/v1/destinations', fileDestination('exports', 'uid', 'csv'))).status,
    201,
  );
  const timeEvents = async (tag: string): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      assert.equal(await w.post([{ uid: `${tag}-${i}`, url: 'https://shop.example.com/about' }]), 202);
      times.push(performance.now() - t0);
    }
    return times;
  };
  const baseline = await timeEvents('base');
  w.partner.setDelay(200);
  const started = await w.app.runner.start(w.tenant, 'slow', { mode: 'full' });
  const refused = await w.call('POST', '/v1/destinations/slow/runs', {});
  assert.equal(refused.status, 409);
  assert.equal((refused.body as { code: string }).code, 'run_in_progress');
  const during = await timeEvents('during');
  const other = await w.app.runner.run(w.tenant, 'exports', { mode: 'full' });
  assert.equal(other.status, 'succeeded');
  assert.equal((await w.app.catalog.getRun(w.tenant, started.run.runId))?.status, 'running');
  assert.equal((await started.done).status, 'succeeded');
  assert.ok(w.partner.requests.length === 7);
  assert.ok(
    median(during) <= median(baseline) * 4 + 50,
    `events took ${median(during)} ms during the run, ${median(baseline)} ms before`,
  );
});
