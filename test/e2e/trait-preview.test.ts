import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { userSession } from '../helpers/user-keys.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const PRICING = 'url.path startsWith "/pricing"';

interface Preview {
  matched: number;
  scanned: number;
  from: string | null;
  to: string | null;
  window: { maxEvents: number; maxAgeHours: number; limitedBy: string };
}

/** Page views of `paths` by `uid`, as a site sends them. */
const views = (uid: string, ...paths: string[]) =>
  paths.map((path) => ({ uid, url: `https://shop.example.com${path}` }));

/** Posts events with the tenant's key; all must be accepted. */
async function post(h: TestApp, key: string, events: unknown[]): Promise<void> {
  const r = await h.call('POST', '/v1/events', key, events);
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal((r.body as { accepted: number }).accepted, events.length);
}

/** A console user of `role`, logged in with its password changed: `call` sends its cookie and CSRF token. */
async function sessionOf(h: TestApp, apiKey: string, email: string, role: string) {
  const headers = await userSession(h, apiKey, email, role);
  return (method: string, path: string, body?: unknown) => h.call(method, path, undefined, body, headers);
}

/**
 * `POST /v1/traits/preview` over the whole program: counts from the event log per tenant, the same 422
 * as `POST /v1/traits` (with the did-you-mean), 400 for a bad body, the `limit` and the 10,000-event
 * bound, a deleted visitor's events gone from the count, and the `compute` permission.
 */
test('POST /v1/traits/preview: recent events a rule matches, per tenant, bounded, without deleted visitors', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const acme = (await h.app.catalog.createTenant('acme')).apiKey;
  const beta = (await h.app.catalog.createTenant('beta')).apiKey;
  const preview = async (key: string, body: unknown) => {
    const r = await h.call('POST', '/v1/traits/preview', key, body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as Preview;
  };

  const before = Date.now();
  await post(h, acme, [...views('c-1', '/pricing', '/home'), ...views('c-2', '/pricing', '/pricing/team')]);
  await post(h, beta, views('c-9', '/pricing', '/pricing', '/pricing', '/cart'));
  await post(h, acme, views('c-3', '/cart', '/pricing'));
  const after = Date.now();

  // acme: 6 events, 4 on /pricing...; beta's never count for acme
  const answer = await preview(acme, { rule: PRICING });
  assert.deepEqual([answer.matched, answer.scanned], [4, 6]);
  assert.deepEqual(answer.window, { maxEvents: 10_000, maxAgeHours: 24, limitedBy: 'none' });
  const from = Date.parse(answer.from ?? '');
  const to = Date.parse(answer.to ?? '');
  assert.ok(before <= from && from <= to && to <= after, `${answer.from} .. ${answer.to}`);
  assert.deepEqual(
    [(await preview(beta, { rule: PRICING })).matched, (await preview(beta, { rule: PRICING })).scanned],
    [3, 4],
  );
  const both = await preview(acme, { rule: 'url.path == "/cart" or url.path == "/home"' });
  assert.deepEqual([both.matched, both.scanned], [2, 6]);

  // limit: only the newest events (acme's last two: c-3's /cart and /pricing)
  const two = await preview(acme, { rule: PRICING, limit: 2 });
  assert.deepEqual(
    [two.matched, two.scanned, two.window.maxEvents, two.window.limitedBy],
    [1, 2, 2, 'events'],
  );

  // a rule that does not check: the 422 of POST /v1/traits, each error with line, column, did-you-mean
  const bad = await h.call('POST', '/v1/traits/preview', acme, {
    rule: 'url.path == "/x" and\n  url.pth == "/y"',
  });
  assert.equal(bad.status, 422);
  const problem = bad.body as { code: string; errors: { line: number; column: number; message: string }[] };
  assert.equal(problem.code, 'invalid_rule');
  assert.deepEqual(
    problem.errors.map((e) => [e.line, e.column, e.message]),
    [[2, 3, "unknown path 'url.pth'; did you mean 'url.path'?"]],
  );
  const sameAsSave = await h.call('POST', '/v1/traits', acme, {
    code: 'x',
    name: 'X',
    rule: 'url.path == "/x" and\n  url.pth == "/y"',
  });
  assert.deepEqual((sameAsSave.body as { errors: unknown }).errors, (bad.body as { errors: unknown }).errors);

  // a bad body: 400 naming the field
  for (const body of [
    {},
    { rule: PRICING, limit: 0 },
    { rule: PRICING, limit: 10_001 },
    { rule: PRICING, extra: 1 },
  ]) {
    const r = await h.call('POST', '/v1/traits/preview', acme, body);
    assert.equal(r.status, 400, JSON.stringify(body));
  }

  // a deleted visitor's events are erased from the log: they no longer count
  assert.equal((await h.call('DELETE', '/v1/profiles/c-2', acme)).status, 200);
  const deleted = await preview(acme, { rule: PRICING });
  assert.deepEqual([deleted.matched, deleted.scanned], [2, 4]);

  // the permission is compute: an analyst may preview, a viewer may not
  const analyst = await sessionOf(h, acme, 'ann@acme.com', 'analyst');
  const viewer = await sessionOf(h, acme, 'vic@acme.com', 'viewer');
  const asAnalyst = await analyst('POST', '/v1/traits/preview', { rule: PRICING });
  assert.equal(asAnalyst.status, 200);
  assert.equal((asAnalyst.body as Preview).matched, 2);
  const asViewer = await viewer('POST', '/v1/traits/preview', { rule: PRICING });
  assert.equal(asViewer.status, 403);
  assert.match((asViewer.body as { detail: string }).detail, /compute/);
});

test('POST /v1/traits/preview reads at most the newest 10,000 events of the tenant', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  // 300 old events on /pricing, then 10,000 newer of which every 4th is on /pricing
  await post(
    h,
    apiKey,
    Array.from({ length: 300 }, (_, i) => views(`old-${i}`, '/pricing')[0]),
  );
  await post(
    h,
    apiKey,
    Array.from({ length: 10_000 }, (_, i) => views(`new-${i}`, i % 4 === 0 ? '/pricing' : '/home')[0]),
  );
  const r = await h.call('POST', '/v1/traits/preview', apiKey, { rule: PRICING });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const answer = r.body as Preview;
  assert.deepEqual([answer.matched, answer.scanned, answer.window.limitedBy], [2_500, 10_000, 'events']);
});
