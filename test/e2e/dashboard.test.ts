import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import type { DashboardAnswer } from '../../src/governance/dashboard.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { userKey } from '../helpers/user-keys.ts';
import { postSegments } from '../helpers/post-segments.ts';

const NOW = Date.parse('2026-12-07T10:00:00Z');

async function dashboardOf(h: TestApp, key: string): Promise<DashboardAnswer> {
  const answer = await h.call('GET', '/v1/dashboard', key);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as DashboardAnswer;
}

function ok(r: { status: number; body: unknown }): void {
  assert.ok(r.status < 300, JSON.stringify(r.body));
}

/** Events of `visitors` distinct visitors: visitor i views i + 1 pages, the even ones of them /pricing. */
function eventsOf(prefix: string, visitors: number): { uid: string; url: string }[] {
  return Array.from({ length: visitors }, (_, i) =>
    Array.from({ length: i + 1 }, (_, page) => ({
      uid: `${prefix}-${i}`,
      url: `https://shop.example.com/${i % 2 === 0 && page === 0 ? 'pricing' : `page-${page}`}`,
    })),
  ).flat();
}

/**
 * Issue 17's dashboard through the API: events per second are the events just posted over the last minute
 * (and fall to zero a minute later), profiles are the distinct visitors posted, the top segments are
 * ordered by size with the sizes `/v1/segments/:code/size` answers, and the recent changes name the user
 * who saved; one tenant never sees another's numbers or changes, and a viewer gets no sizes but the reason.
 */
test('GET /v1/dashboard: events per second, profiles, top segments and recent changes of the tenant', async (t) => {
  const clock = manualClock(NOW);
  const h = await startTestApp(clock);
  t.after(() => h.close());
  const acme = await h.app.catalog.createTenant('acme');
  const beta = await h.app.catalog.createTenant('beta');
  ok(
    await h.call('POST', '/v1/traits', acme.apiKey, {
      code: 'pricing',
      name: 'Pricing',
      rule: 'url.path startsWith "/pricing"',
    }),
  );
  await postSegments(h, acme.apiKey, [
    ['visitors', 'Visitors', 'visits >= 1'],
    ['pricing_fans', 'Pricing fans', 'trait:pricing'],
    ['regulars', 'Regulars', 'pageviews >= 5'],
  ]);
  await postSegments(h, beta.apiKey, [['beta_all', 'Beta all', 'visits >= 1']]);

  const before = await dashboardOf(h, acme.apiKey);
  assert.deepEqual([before.eventsLastMinute, before.eventsPerSecond, before.profiles], [0, 0, 0]);

  const acmeEvents = eventsOf('a', 7); // 28 events of 7 visitors
  const accepted = await h.call('POST', '/v1/events', acme.apiKey, acmeEvents);
  assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
  assert.equal((accepted.body as { accepted: number }).accepted, acmeEvents.length);
  ok(await h.call('POST', '/v1/events', beta.apiKey, eventsOf('b', 3)));
  clock.advance(20_000);
  // one event counts; the bad one beside it and the retry of it (the same id) do not
  const again = { id: 'again-1', uid: 'a-0', url: 'https://shop.example.com/again' };
  const mixed = await h.call('POST', '/v1/events', acme.apiKey, [again, { uid: 'a-0', url: 'not a url' }]);
  assert.deepEqual((mixed.body as { accepted: number; rejected: unknown[] }).rejected.length, 1);
  const retry = await h.call('POST', '/v1/events', acme.apiKey, [again]);
  assert.deepEqual([retry.status, (retry.body as { accepted: number }).accepted], [202, 0]);

  const mia = await userKey(h, acme.apiKey, 'mia@acme.com', 'editor');
  ok(await h.call('PATCH', '/v1/segments/regulars', mia, { name: 'Regular visitors' }));

  const seen = await dashboardOf(h, acme.apiKey);
  const posted = acmeEvents.length + 1;
  assert.equal(seen.asOf, new Date(NOW + 20_000).toISOString());
  assert.equal(seen.eventsLastMinute, posted);
  assert.equal(seen.eventsPerSecond, Math.round((posted / 60) * 100) / 100);
  assert.equal(seen.profiles, new Set(acmeEvents.map((e) => e.uid)).size);

  // the top segments: every saved one here (fewer than 10), largest first, sized as the size route says
  assert.equal(seen.topSegments.total, 3);
  assert.equal(seen.topSegments.sized, true);
  const sizes: Record<string, number> = {};
  for (const code of ['visitors', 'pricing_fans', 'regulars']) {
    const size = await h.call('GET', `/v1/segments/${code}/size`, acme.apiKey);
    sizes[code] = (size.body as { size: number }).size;
  }
  assert.deepEqual(sizes, { visitors: 7, pricing_fans: 4, regulars: 3 }, 'the data as posted');
  assert.deepEqual(seen.topSegments.segments, [
    { code: 'visitors', name: 'Visitors', size: sizes.visitors },
    { code: 'pricing_fans', name: 'Pricing fans', size: sizes.pricing_fans },
    { code: 'regulars', name: 'Regular visitors', size: sizes.regulars },
  ]);

  // the latest change first, naming the user who saved it; the tenant key's own changes as key:ID
  const [latest, ...older] = seen.recentChanges;
  const audited = (await h.call('GET', '/v1/audit?order=desc&limit=1', acme.apiKey)).body as {
    entries: { at: string }[];
  };
  assert.deepEqual(latest, {
    at: audited.entries[0]?.at, // the catalog's own clock
    user: 'mia@acme.com',
    action: 'segment.update',
    object: 'regulars',
  });
  assert.deepEqual(
    older.map((c) => [c.action, c.object]),
    [
      ['segment.create', 'regulars'],
      ['segment.create', 'pricing_fans'],
      ['segment.create', 'visitors'],
      ['trait.create', 'pricing'],
    ],
    'user.create and the rest are not catalog changes',
  );
  assert.ok(
    older.every((c) => /^key:[0-9a-f]+$/.test(c.user)),
    JSON.stringify(older),
  );

  // tenant isolation: beta sees its own events, visitors, segment and changes only
  const b = await dashboardOf(h, beta.apiKey);
  assert.equal(b.eventsLastMinute, eventsOf('b', 3).length);
  assert.equal(b.profiles, 3);
  assert.deepEqual(b.topSegments.segments, [{ code: 'beta_all', name: 'Beta all', size: 3 }]);
  assert.deepEqual(
    b.recentChanges.map((c) => [c.action, c.object]),
    [['segment.create', 'beta_all']],
  );

  // a viewer: the counts and changes, no sizes but why
  const vic = await userKey(h, acme.apiKey, 'vic@acme.com', 'viewer');
  const viewed = await dashboardOf(h, vic);
  assert.equal(viewed.profiles, seen.profiles);
  assert.equal(viewed.eventsLastMinute, posted);
  assert.deepEqual(viewed.recentChanges, seen.recentChanges);
  assert.equal(viewed.topSegments.sized, false);
  assert.deepEqual(viewed.topSegments.segments, []);
  assert.equal(viewed.topSegments.total, 3);
  assert.match(
    viewed.topSegments.detail ?? '',
    /need the permission 'compute' \(role analyst or above\); your role is viewer/,
  );
  assert.equal(
    (await h.call('GET', `/v1/segments/visitors/size`, vic)).status,
    403,
    'as the size route says',
  );

  // a minute later the rate has fallen to the one event posted 20 s after the others, then to zero
  clock.advance(41_000);
  assert.equal((await dashboardOf(h, acme.apiKey)).eventsLastMinute, 1);
  clock.advance(20_000);
  const quiet = await dashboardOf(h, acme.apiKey);
  assert.deepEqual([quiet.eventsLastMinute, quiet.eventsPerSecond, quiet.profiles], [0, 0, 7]);

  assert.equal((await h.call('GET', '/v1/dashboard')).status, 401);
  const openapi = (await (await fetch(`${h.base}/openapi.json`)).json()) as {
    paths: Record<string, unknown>;
  };
  assert.ok(openapi.paths['/v1/dashboard'], 'the route is documented');
});
