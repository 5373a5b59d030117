import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, manualClock } from '../../src/core/clock.ts';
import { fnv1a } from '../../src/log/nats/partition.ts';
import { mergeAnswers, partitionInsightsQuery } from '../../src/scale/merge-answers.ts';
import type { ShardAnswer } from '../../src/scale/merge-answers.ts';
import { CHROME_UA, LONDON_IP, MOUNTAIN_VIEW_IP } from '../helpers/addresses.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { SEGMENTS, TRAITS } from '../helpers/scale-world.ts';
import type { TestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const DAYS = 12;
const VISITORS = 60;
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
/** an address with no place in the shipped geo data */
const NOWHERE_IP = '203.0.113.9';
const PATHS = ['/', '/pricing/plans', '/blog/launch', '/cart', '/docs/start', '/pricing/faq'];

/** One engine: its app, its tenant and key. */
interface Engine {
  h: TestApp;
  tenant: string;
  key: string;
}

/** The visitor `i`'s events of day `d` (0 = the first day), or none: varied days, pages, places, devices. */
function eventsOf(i: number, d: number, ts: number): Record<string, unknown>[] {
  if ((i * 7 + d * 3) % 5 !== 0 && !(d === DAYS - 1 && i % 4 === 0)) return [];
  const ip = [LONDON_IP, MOUNTAIN_VIEW_IP, NOWHERE_IP][i % 3];
  const ua = i % 4 === 0 ? IPHONE_UA : CHROME_UA;
  const ids = i % 7 < 3 ? { ids: { ssp_a: `A-${i}` } } : {};
  const pages = 1 + ((i + d) % 2);
  return Array.from({ length: pages }, (_, k) => ({
    uid: `v-${String(i).padStart(2, '0')}`,
    ip,
    ua,
    ts: ts + k * 1000,
    url: `https://shop.example.com${PATHS[(i * 5 + d + k * (i % 4)) % PATHS.length]}`,
    ...ids,
  }));
}

async function engine(h: TestApp): Promise<Engine> {
  const { tenant, apiKey } = await h.app.catalog.createTenant('acme');
  // through the services with one actor, so that the dashboard's latest changes are the same everywhere
  for (const [code, name, rule] of TRAITS) await h.app.traits.create(tenant, { code, name, rule }, 'setup');
  for (const [code, name, rule] of SEGMENTS)
    await h.app.segments.create(tenant, { code, name, rule }, 'setup');
  const partner = await h.call('POST', '/v1/partners', apiKey, {
    code: 'ssp_a',
    name: 'SSP A',
    type: 'redirect',
    syncUrl: 'https://ssp-a.example/sync?redir=${REDIRECT}',
  });
  assert.equal(partner.status, 201, JSON.stringify(partner.body));
  return { h, tenant, key: apiKey };
}

async function send(e: Engine, events: Record<string, unknown>[]): Promise<void> {
  if (events.length === 0) return;
  const posted = await e.h.call('POST', '/v1/events', e.key, events);
  assert.equal(posted.status, 202, JSON.stringify(posted.body));
  assert.deepEqual((posted.body as { rejected?: unknown[] }).rejected ?? [], []);
}

const answer = async (e: Engine, method: string, path: string, body?: unknown): Promise<ShardAnswer> => {
  const { status, body: parsed } = await e.h.call(method, path, e.key, body);
  return { status, body: parsed };
};

test("the merge of two partitions' answers is the answer of one engine holding every visitor, route by route", async (t) => {
  const clock = manualClock(NOW - (DAYS - 1) * DAY_MS);
  // no timed sweep: it would record a day's sizes on one engine at another moment than on the others
  const quiet = { config: { retentionIntervalMs: 3_600_000 } };
  const start = () => startTestApp(clock, undefined, quiet);
  const apps = await Promise.all([start(), start(), start()]);
  t.after(() => Promise.all(apps.map((h) => h.close())));
  const [u, a, b] = [await engine(apps[0]), await engine(apps[1]), await engine(apps[2])];
  // ADR 33's hash of tenant and uid over 3 partitions: A holds partition 0, B partitions 1 and 2 (an
  // uneven split, so that an average of the two would differ from the whole); a fixed tenant name keeps
  // the split the same in every run (tenant IDs have a random suffix)
  const partOf = (uid: string) => (fnv1a(`acme\n${uid}`) % 3 === 0 ? a : b);
  for (let d = 0; d < DAYS; d++) {
    if (d > 0) clock.set(NOW - (DAYS - 1 - d) * DAY_MS);
    const all: Record<string, unknown>[] = [];
    for (let i = 0; i < VISITORS; i++) all.push(...eventsOf(i, d, clock.now() - 60_000 + i * 10));
    await send(u, all);
    await send(
      a,
      all.filter((e) => partOf(e.uid as string) === a),
    );
    await send(
      b,
      all.filter((e) => partOf(e.uid as string) === b),
    );
    // yesterday and before: the daily sizes the trend reads (today's is sized when asked). In a
    // deployment they are the whole segment's, recorded once in the shared catalog by an API server
    // (Forwarder.sizesOfAll): U's sizes go into each engine's own catalog here
    if (d < DAYS - 1) {
      const { now, sizes } = u.h.app.segments.sizesOfAll(u.tenant);
      for (const e of [u, a, b]) await e.h.app.segments.recordSizes(e.tenant, now, sizes);
    }
  }
  assert.equal(clock.now(), NOW);
  const visitorsOn = async (e: Engine) =>
    ((await answer(e, 'GET', '/v1/segments/everyone/size')).body as { size: number }).size;
  const [onA, onB] = [await visitorsOn(a), await visitorsOn(b)];
  assert.ok(onA > 10 && onB > 10 && onA !== onB, `an uneven split of visitors: ${onA} and ${onB}`);
  assert.equal(await visitorsOn(u), onA + onB);

  /** Asks the three engines the same request; the merge of A's and B's must be U's answer. */
  const same = async (route: string, method: string, path: string, body?: unknown) => {
    const whole = await answer(u, method, path, body);
    const merged = mergeAnswers(route, [
      await answer(a, method, path, body),
      await answer(b, method, path, body),
    ]);
    assert.deepEqual(merged, whole, `${method} ${path}`);
    return whole;
  };

  await t.test('segment sizes, and errors passed through', async () => {
    for (const [code] of SEGMENTS) {
      const whole = await same('GET /v1/segments/:code/size', 'GET', `/v1/segments/${code}/size`);
      assert.equal(whole.status, 200);
    }
    assert.equal((await same('GET /v1/segments/:code/size', 'GET', '/v1/segments/nope/size')).status, 404);
  });

  await t.test('sizes of rules being edited', async () => {
    for (const rule of ['trait:docs and device.type == "desktop"', 'visits >= 2 and not trait:blog']) {
      assert.equal((await same('POST /v1/audience/size', 'POST', '/v1/audience/size', { rule })).status, 200);
    }
    const bad = await same('POST /v1/audience/size', 'POST', '/v1/audience/size', { rule: 'trait:nope' });
    assert.ok(bad.status >= 400 && bad.status < 500, JSON.stringify(bad.body));
  });

  await t.test('overlaps of every segment', async () => {
    const segments = SEGMENTS.map(([code]) => code);
    const whole = await same('POST /v1/audience/overlap', 'POST', '/v1/audience/overlap', { segments });
    const { overlap } = whole.body as { overlap: number[][] };
    assert.ok(overlap.flat().filter((n) => n > 0).length > 30, 'overlaps hold visitors');
  });

  await t.test('trends, day by day', async () => {
    for (const code of ['everyone', 'recent_blog', 'london_pricing']) {
      const whole = await same('GET /v1/segments/:code/trend', 'GET', `/v1/segments/${code}/trend?days=30`);
      assert.equal((whole.body as { points: unknown[] }).points.length, DAYS);
    }
  });

  await t.test('match rate: recomputed from the summed counts', async () => {
    const path = '/v1/partners/ssp_a/match-rate';
    const whole = await same('GET /v1/partners/:code/match-rate', 'GET', path);
    const rateOf = async (e: Engine) => ((await answer(e, 'GET', path)).body as { rate: number }).rate;
    const averaged = ((await rateOf(a)) + (await rateOf(b))) / 2;
    assert.notEqual((whole.body as { rate: number }).rate, averaged, 'an averaged rate would not do');
    assert.equal(
      (await same('GET /v1/partners/:code/match-rate', 'GET', '/v1/partners/zz/match-rate')).status,
      404,
    );
  });

  await t.test(
    'dashboard: profiles, top segments and events summed, events per second recomputed',
    async () => {
      // each test engine has its own catalog, where the audit times are the wall clock's; in a deployment
      // the partitions share one catalog, so the latest changes are the same on every partition
      const whole = await answer(u, 'GET', '/v1/dashboard');
      const [fromA, fromB] = [
        await answer(a, 'GET', '/v1/dashboard'),
        await answer(b, 'GET', '/v1/dashboard'),
      ];
      const merged = mergeAnswers('GET /v1/dashboard', [fromA, fromB]);
      const changes = (x: ShardAnswer) => (x.body as { recentChanges: { at: string }[] }).recentChanges;
      assert.deepEqual(changes(merged), changes(fromA), 'the latest changes of one partition');
      const untimed = (x: ShardAnswer) => changes(x).map(({ at: _at, ...rest }) => rest);
      assert.deepEqual(untimed(merged), untimed(whole));
      const withChanges = { ...merged, body: { ...(merged.body as object), recentChanges: changes(whole) } };
      assert.deepEqual(withChanges, whole);
      const board = whole.body as {
        eventsLastMinute: number;
        topSegments: { segments: unknown[] };
        recentChanges: unknown[];
      };
      assert.ok(board.eventsLastMinute > 0);
      assert.equal(board.topSegments.segments.length, SEGMENTS.length);
      assert.ok(board.recentChanges.length > 0);
    },
  );

  await t.test('insights: counts and holders summed, shares and index recomputed', async () => {
    const traitIds = new Map(
      ((await answer(u, 'GET', '/v1/traits')).body as { traits: { code: string; id: number }[] }).traits.map(
        (x) => [x.code, x.id],
      ),
    );
    const shardPath = (code: string) =>
      `/v1/segments/${code}/insights?${new URLSearchParams(partitionInsightsQuery({})).toString()}`;
    for (const code of ['londoners', 'mobile', 'returning']) {
      const whole = await answer(u, 'GET', `/v1/segments/${code}/insights?minCount=2&limit=50`);
      const shards = [await answer(a, 'GET', shardPath(code)), await answer(b, 'GET', shardPath(code))];
      const merged = mergeAnswers('GET /v1/segments/:code/insights', shards, {
        minCount: 2,
        limit: 50,
        traitIds,
      });
      assert.deepEqual(merged, whole, code);
      assert.ok((whole.body as { traits: unknown[] }).traits.length >= 3, `${code}: several traits`);
    }
  });
});
