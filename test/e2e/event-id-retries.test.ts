import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { tenantState } from '../helpers/tenant-state.ts';

const NOW = Date.now();
const HOUR = 3_600_000;
const PRICING = 'https://shop.example.com/pricing';

interface Answer {
  accepted: number;
  rejected: { index: number; error: string }[];
  duplicates?: number;
}

async function tenantWithRules(h: TestApp): Promise<{ tenant: string; apiKey: string; siteKey: string }> {
  const keys = await h.app.catalog.createTenant('acme');
  const trait = { code: 'pricing', name: 'Pricing', rule: 'url.path startsWith "/pricing"' };
  assert.equal((await h.call('POST', '/v1/traits', keys.apiKey, trait)).status, 201);
  for (const [code, rule] of [
    ['twice', 'trait:pricing[count >= 2]'],
    ['returning', 'visits >= 2'],
  ])
    assert.equal((await h.call('POST', '/v1/segments', keys.apiKey, { code, name: code, rule })).status, 201);
  return keys;
}

async function post(h: TestApp, apiKey: string, events: unknown[]): Promise<Answer> {
  const r = await h.call('POST', '/v1/events', apiKey, events);
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return r.body as Answer;
}

async function profile(h: TestApp, apiKey: string, uid: string) {
  const r = await h.call('GET', `/v1/profiles/${uid}`, apiKey);
  return r.body as { attributes: { visits: number; pageviews: number }; traits: { count: number }[] };
}

/** v-1: two page views two hours apart (two visits), one of pricing; v-2: one pricing page view. */
const BATCH = [
  { id: 'e-1', uid: 'v-1', url: PRICING, ts: NOW - 3 * HOUR },
  { id: 'e-2', uid: 'v-2', url: PRICING, ts: NOW - 1 * HOUR },
  { id: 'e-3', uid: 'v-1', url: 'https://shop.example.com/blog', ts: NOW - 1 * HOUR },
];

test('a retried batch is acknowledged again and applied once: profiles and segment sizes do not move', async (t) => {
  const h = await startTestApp(manualClock(NOW), undefined, { config: { metricsToken: 'metrics' } });
  t.after(() => h.close());
  const { tenant, apiKey, siteKey } = await tenantWithRules(h);

  assert.deepEqual(await post(h, apiKey, BATCH), { accepted: 3, rejected: [] });
  const before = tenantState(h.app, tenant);
  assert.deepEqual((await profile(h, apiKey, 'v-1')).attributes.pageviews, 2);

  assert.deepEqual(await post(h, apiKey, BATCH), { accepted: 0, rejected: [], duplicates: 3 });
  assert.deepEqual(tenantState(h.app, tenant), before);
  const v1 = await profile(h, apiKey, 'v-1');
  assert.equal(v1.attributes.pageviews, 2);
  assert.equal(v1.attributes.visits, 2);
  assert.deepEqual(
    v1.traits.map((x) => x.count),
    [1],
  );
  assert.equal(((await h.call('GET', '/v1/segments/twice/size', apiKey)).body as { size: number }).size, 0);

  // part of a batch retried with new events: only the new ones count; an id twice in a batch counts once
  const mixed = [BATCH[0], { id: 'e-4', uid: 'v-3', url: PRICING }, { id: 'e-4', uid: 'v-3', url: PRICING }];
  assert.deepEqual(await post(h, apiKey, mixed), { accepted: 1, rejected: [], duplicates: 2 });
  assert.equal((await profile(h, apiKey, 'v-3')).attributes.pageviews, 1);

  // the pixel fired twice with the same id
  for (let i = 0; i < 2; i++) {
    const px = await h.call('GET', `/px?site=${siteKey}&uid=v-4&id=px-1&url=${encodeURIComponent(PRICING)}`);
    assert.equal(px.status, 200);
  }
  assert.equal((await profile(h, apiKey, 'v-4')).attributes.pageviews, 1);
  // every duplicate is counted: 3 retried, 2 in the mixed batch, 1 pixel
  const metrics = await fetch(`${h.base}/metrics`, { headers: { authorization: 'Bearer metrics' } });
  assert.match(await metrics.text(), /^dmp_events_duplicate_total 6$/m);
  assert.equal(((await h.call('GET', '/v1/segments/twice/size', apiKey)).body as { size: number }).size, 0);
});

test('the same batch sent twice at once is applied once', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await tenantWithRules(h);
  const batch = Array.from({ length: 200 }, (_, i) => ({
    id: `c-${i}`,
    uid: 'v-9',
    url: PRICING,
    ts: NOW - i,
  }));
  const answers = await Promise.all([post(h, apiKey, batch), post(h, apiKey, batch), post(h, apiKey, batch)]);
  assert.equal(
    answers.reduce((n, a) => n + a.accepted, 0),
    200,
    JSON.stringify(answers),
  );
  assert.equal(
    answers.reduce((n, a) => n + (a.duplicates ?? 0), 0),
    400,
    JSON.stringify(answers),
  );
  const v9 = await profile(h, apiKey, 'v-9');
  assert.equal(v9.attributes.pageviews, 200);
  assert.deepEqual(
    v9.traits.map((x) => x.count),
    [200],
  );
});

test('an id that is not a string of 1 to 128 characters is refused; the good events beside it are kept', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await tenantWithRules(h);
  const answer = await post(h, apiKey, [
    { id: 42, uid: 'v-1' },
    { id: '', uid: 'v-1' },
    { id: 'x'.repeat(129), uid: 'v-1' },
    { id: 'ok-1', uid: 'v-1' },
  ]);
  assert.equal(answer.accepted, 1);
  assert.deepEqual(
    answer.rejected.map((r) => [r.index, r.error.split(';')[0]]),
    [
      [0, 'events[0].id: expected a string of 1 to 128 characters, got a number 42'],
      [1, 'events[1].id: is empty'],
      [2, 'events[2].id: is 129 characters long'],
    ],
  );
  const none = await h.call('POST', '/v1/events', apiKey, [{ id: 7, uid: 'v-1' }]);
  assert.equal(none.status, 400);
});

test('a retry after a restart is still recognised: from the snapshot written at stop, and from the log alone', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'opendmp-event-ids-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  let h = await startTestApp(manualClock(NOW), dataDir);
  const { tenant, apiKey } = await tenantWithRules(h);
  assert.equal((await post(h, apiKey, BATCH)).accepted, 3);
  const before = tenantState(h.app, tenant);
  await h.close();

  h = await startTestApp(manualClock(NOW), dataDir);
  assert.ok(h.app.startup.used !== undefined, 'restored from the snapshot written at stop');
  assert.deepEqual(await post(h, apiKey, BATCH), { accepted: 0, rejected: [], duplicates: 3 });
  assert.deepEqual(tenantState(h.app, tenant), before);
  await h.close();

  // without any snapshot, the IDs come back from the log
  const snapshots = join(dataDir, 'snapshots');
  for (const file of await readdir(snapshots)) await rm(join(snapshots, file));
  h = await startTestApp(manualClock(NOW), dataDir);
  t.after(() => h.close());
  assert.equal(h.app.startup.used, undefined);
  assert.deepEqual(await post(h, apiKey, BATCH), { accepted: 0, rejected: [], duplicates: 3 });
  assert.deepEqual(tenantState(h.app, tenant), before);
});
