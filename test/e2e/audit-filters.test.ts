import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { userKey } from '../helpers/user-keys.ts';

interface Line {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
}
interface Page {
  entries: Line[];
  next: number | null;
}

async function page(h: TestApp, key: string, query: string): Promise<Page> {
  const answer = await h.call('GET', `/v1/audit?${query}`, key);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as Page;
}

/** Every page of a query, following `next` with `cursor` (after or before), as the console does. */
async function allPages(h: TestApp, key: string, query: string, cursor: string): Promise<number[]> {
  const ids: number[] = [];
  let next: number | null = null;
  do {
    const p = await page(h, key, `${query}${next === null ? '' : `&${cursor}=${next}`}`);
    ids.push(...p.entries.map((e) => e.id));
    next = p.next;
  } while (next !== null);
  return ids;
}

function ok(r: { status: number; body: unknown }): void {
  assert.ok(r.status < 300, JSON.stringify(r.body));
}

/**
 * `GET /v1/audit` newest first and filtered: `order=desc` pages backwards with `before`, and `actor`,
 * `action` (exact or a `*` prefix), `object` and `from`/`to` filter the lines, alone and together; the old
 * parameters (`after`, `limit`, `action`, `target`) answer as before. Every expected list is the full log
 * read the old way, filtered here. A bad value is a 400 naming the parameter; one tenant's filters never
 * reach another's log.
 */
test('GET /v1/audit: newest first, paged backwards, filtered by user, action, object and time', async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-12-07T10:00:00Z')));
  t.after(() => h.close());
  const acme = await h.app.catalog.createTenant('acme');
  const beta = await h.app.catalog.createTenant('beta');
  const mia = await userKey(h, acme.apiKey, 'mia@acme.com', 'editor');
  const rule = 'url.path startsWith "/x"';
  for (let i = 0; i < 3; i++) {
    ok(await h.call('POST', '/v1/traits', acme.apiKey, { code: `t${i}`, name: `T${i}`, rule }));
    ok(await h.call('POST', '/v1/segments', mia, { code: `s${i}`, name: `S${i}`, rule: `trait:t${i}` }));
    ok(await h.call('PATCH', '/v1/segments/s0', mia, { name: `S0 v${i}` }));
  }
  ok(await h.call('POST', '/v1/segments', beta.apiKey, { code: 's0', name: 'Beta', rule: 'visits >= 1' }));

  // the whole log the old way: oldest first, a page of 4 at a time with after
  const all = (await page(h, acme.apiKey, 'limit=1000')).entries;
  assert.deepEqual(
    await allPages(h, acme.apiKey, 'limit=4', 'after'),
    all.map((e) => e.id),
  );
  const ids = (lines: Line[]) => lines.map((e) => e.id);
  const newestFirst = (lines: Line[]) => ids(lines).reverse();

  // newest first, backwards by before, pages of 4; next is the last id of a full page
  const first = await page(h, acme.apiKey, 'order=desc&limit=4');
  assert.deepEqual(ids(first.entries), newestFirst(all).slice(0, 4));
  assert.equal(first.next, first.entries[3]?.id);
  assert.deepEqual(await allPages(h, acme.apiKey, 'order=desc&limit=4', 'before'), newestFirst(all));

  // by user: mia's lines, by her session (user:EMAIL) and by her key (user:EMAIL/key:ID)
  const byMia = all.filter(
    (e) => e.actor === 'user:mia@acme.com' || e.actor.startsWith('user:mia@acme.com/key:'),
  );
  assert.deepEqual(
    byMia.map((e) => e.action),
    ['user.password', 'user.apikey.create', ...[0, 1, 2].flatMap(() => ['segment.create', 'segment.update'])],
  );
  assert.deepEqual(
    await allPages(h, acme.apiKey, 'order=desc&limit=4&actor=mia@acme.com', 'before'),
    newestFirst(byMia),
  );
  assert.deepEqual(ids((await page(h, acme.apiKey, 'actor=MIA@acme.com')).entries), ids(byMia), 'any case');
  const tenantKey = all.find((e) => e.action === 'trait.create')?.actor ?? '';
  assert.match(tenantKey, /^key:[0-9a-f]+$/);
  const byKey = all.filter((e) => e.actor === tenantKey);
  assert.deepEqual(ids((await page(h, acme.apiKey, `actor=${tenantKey.slice(4)}`)).entries), ids(byKey));
  assert.deepEqual(ids((await page(h, acme.apiKey, `actor=${tenantKey}`)).entries), ids(byKey));

  // by action: exact as before, or a prefix
  const segmentLines = all.filter((e) => e.action.startsWith('segment.'));
  assert.equal(segmentLines.length, 6);
  assert.deepEqual(ids((await page(h, acme.apiKey, 'action=segment.*')).entries), ids(segmentLines));
  const updates = all.filter((e) => e.action === 'segment.update');
  assert.deepEqual(ids((await page(h, acme.apiKey, 'action=segment.update')).entries), ids(updates));
  assert.deepEqual((await page(h, acme.apiKey, 'action=segment')).entries, [], 'no star: exact, as before');

  // by object: the code, whatever its kind; target stays exact
  const s0 = all.filter((e) => e.target === 'segment:s0');
  assert.equal(s0.length, 4);
  assert.deepEqual(ids((await page(h, acme.apiKey, 'object=s0')).entries), ids(s0));
  assert.deepEqual(ids((await page(h, acme.apiKey, 'target=segment:s0')).entries), ids(s0));
  const t1 = all.filter((e) => e.target === 'trait:t1');
  assert.deepEqual(ids((await page(h, acme.apiKey, 'object=t1')).entries), ids(t1));

  // by time: from inclusive, to exclusive (the catalog's clock stamps the lines)
  const middle = all[Math.floor(all.length / 2)] as Line;
  const from = all.filter((e) => e.at >= middle.at);
  const to = all.filter((e) => e.at < middle.at);
  assert.deepEqual(ids((await page(h, acme.apiKey, `from=${middle.at}`)).entries), ids(from));
  assert.deepEqual(ids((await page(h, acme.apiKey, `to=${middle.at}`)).entries), ids(to));
  const day = all[0]?.at.slice(0, 10) ?? ''; // a date: midnight UTC
  assert.equal((await page(h, acme.apiKey, `from=${day}&limit=1000`)).entries.length, all.length);
  assert.deepEqual((await page(h, acme.apiKey, `to=${day}`)).entries, []);

  // everything together, newest first
  const together = await allPages(
    h,
    acme.apiKey,
    `order=desc&limit=1&actor=mia@acme.com&action=segment.*&object=s0&from=${all[0]?.at ?? ''}`,
    'before',
  );
  assert.deepEqual(together, newestFirst(s0), "every line of s0 is one of mia's segment lines");
  assert.equal(together.length, 4);

  // another tenant's log: its own lines only, whatever the filter
  const betaMia = await page(h, beta.apiKey, 'actor=mia@acme.com');
  assert.deepEqual(betaMia.entries, []);
  assert.deepEqual(
    (await page(h, beta.apiKey, 'object=s0&order=desc')).entries.map((e) => e.action),
    ['segment.create'],
  );

  // bad values: a 400 naming the parameter and how to write it
  const refusals: [string, string, RegExp][] = [
    ['order=newest', 'querystring.order', /asc .*desc/],
    ['from=yesterday', 'querystring.from', /ISO 8601.*2026-12-07/],
    ['to=2026-02-30', 'querystring.to', /ISO 8601/],
    ['from=2026-12-08&to=2026-12-07', 'querystring.from', /swap them/],
    ['action=seg*ment', 'querystring.action', /trailing \*/],
    ['actor=', 'querystring.actor', /must not be empty/],
    ['before=0', 'querystring.before', /must be >= 1/],
    ['limit=1001', 'querystring.limit', /1000/],
  ];
  for (const [query, field, detail] of refusals) {
    const answer = await h.call('GET', `/v1/audit?${query}`, acme.apiKey);
    const problem = answer.body as { field?: string; detail: string };
    assert.equal(answer.status, 400, query);
    assert.match(problem.detail, detail, query);
    assert.equal(problem.field, field, query);
  }
  // the log still needs read_audit
  assert.equal((await h.call('GET', '/v1/audit?order=desc', mia)).status, 403);
});
