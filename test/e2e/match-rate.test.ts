import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

test("GET /v1/partners/{code}/match-rate: the tenant's profiles holding the partner's ID, by the mapping's age", async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const { apiKey: otherKey } = await h.app.catalog.createTenant('other');
  const partner = (code: string) => ({
    code,
    name: code,
    type: 'redirect',
    syncUrl: `https://${code.replace('_', '-')}.example/sync?redir=\${REDIRECT}`,
  });
  for (const code of ['ssp_a', 'ssp_b']) {
    const created = await h.call('POST', '/v1/partners', apiKey, partner(code));
    assert.equal(created.status, 201, JSON.stringify(created.body));
  }
  const page = (uid: string, daysAgo: number, ids?: Record<string, string>) => ({
    uid,
    url: 'https://shop.example.com/',
    ts: NOW - daysAgo * DAY_MS,
    ...(ids === undefined ? {} : { ids }),
  });
  const posted = await h.call('POST', '/v1/events', apiKey, [
    page('c-1', 0, { ssp_a: 'A-1' }),
    page('c-2', 3, { ssp_a: 'A-2' }),
    page('c-3', 45, { ssp_a: 'A-3' }),
    page('c-4', 1, { ssp_b: 'B-4' }),
    page('c-5', 2),
  ]);
  assert.equal(posted.status, 202, JSON.stringify(posted.body));

  const a = await h.call('GET', '/v1/partners/ssp_a/match-rate', apiKey);
  assert.equal(a.status, 200, JSON.stringify(a.body));
  const rate = a.body as Record<string, unknown>;
  assert.deepEqual(
    { ...rate, ageFrom: undefined },
    {
      partner: 'ssp_a',
      profiles: 5,
      matched: 3,
      rate: 0.6,
      byAgeDays: { '0-1': 1, '2-7': 1, '8-30': 0, '31-90': 1, '91+': 0 },
      // the collector records no learnt time per ID: each mapping is as old as its profile's last event
      ageFrom: undefined,
      at: '2026-11-20T12:00:00.000Z',
    },
  );
  assert.ok(rate.ageFrom === 'learntAt' || rate.ageFrom === 'lastSeen');
  const b = (await h.call('GET', '/v1/partners/ssp_b/match-rate', apiKey)).body as { matched: number };
  assert.equal(b.matched, 1);

  const unknown = await h.call('GET', '/v1/partners/ssp_z/match-rate', apiKey);
  assert.equal(unknown.status, 404);
  assert.match(unknown.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal((unknown.body as { code: string }).code, 'not_found');
  // another tenant has neither the partner nor the profiles
  assert.equal((await h.call('GET', '/v1/partners/ssp_a/match-rate', otherKey)).status, 404);
  assert.equal((await h.call('GET', '/v1/partners/ssp_a/match-rate')).status, 401);
});
