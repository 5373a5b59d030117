import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { line?: number; column?: number; message: string; snippet?: string }[];
}

test('bad input gets a clear 4xx and never loses the good events beside it', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey, siteKey } = await h.app.catalog.createTenant('acme');

  await t.test('a batch with bad events keeps the good ones', async () => {
    const batch = [
      { uid: 'good-1', url: 'https://shop.example.com/a', ts: NOW - 1000 },
      { url: 'https://shop.example.com/no-id' },
      { uid: 'good-2', ts: 'yesterday' },
      { uid: 'good-3', ts: NOW + 86_400_000 },
      { uid: 'good-4', signals: { category: 'shoes', value: 120 } },
    ];
    const r = await h.call('POST', '/v1/events', apiKey, batch);
    assert.equal(r.status, 202);
    const body = r.body as { accepted: number; rejected: { index: number; error: string }[] };
    assert.equal(body.accepted, 2);
    assert.deepEqual(
      body.rejected.map((x) => x.index),
      [1, 2, 3],
    );
    assert.match(body.rejected[0]!.error, /uid/);
    assert.match(body.rejected[1]!.error, /ts/);
    assert.match(body.rejected[2]!.error, /future/);
    for (const uid of ['good-1', 'good-4'])
      assert.equal((await h.call('GET', `/v1/profiles/${uid}`, apiKey)).status, 200);
    assert.equal((await h.call('GET', '/v1/profiles/good-2', apiKey)).status, 404);
  });

  await t.test('a batch where none is good is a 400 with the same body', async () => {
    const r = await h.call('POST', '/v1/events', apiKey, [{ type: 'pageview' }]);
    assert.equal(r.status, 400);
    assert.equal((r.body as { accepted: number }).accepted, 0);
  });

  await t.test('NDJSON with a broken line keeps the other lines', async () => {
    const body = `{"uid":"nd-1"}\n{"uid": broken\n{"uid":"nd-2"}\n`;
    const r = await h.call('POST', `/v1/events?site=${siteKey}`, undefined, body, {
      'content-type': 'application/x-ndjson',
    });
    assert.equal(r.status, 202);
    const answer = r.body as { accepted: number; rejected: { index: number; error: string }[] };
    assert.equal(answer.accepted, 2);
    assert.equal(answer.rejected[0]?.index, 1);
  });

  await t.test('a body over the size limit is a 413', async () => {
    const big = JSON.stringify([{ uid: 'x', signals: { blob: 'a'.repeat(6 * 1024 * 1024) } }]);
    const r = await h.call('POST', '/v1/events', apiKey, big);
    assert.equal(r.status, 413);
    assert.equal((r.body as Problem).code, 'body_too_large');
  });

  await t.test('keys: missing, wrong, and a site key that does not exist', async () => {
    assert.equal((await h.call('GET', '/v1/traits')).status, 401);
    assert.equal((await h.call('GET', '/v1/traits', 'dmp_nope_nope')).status, 401);
    assert.equal((await h.call('POST', '/v1/events?site=site_nope', undefined, { uid: 'a' })).status, 403);
    const px = await fetch(`${h.base}/px?site=site_nope&uid=a`);
    assert.equal(px.status, 403);
    assert.match(px.headers.get('content-type') ?? '', /problem\+json/);
  });

  await t.test('a rule that does not parse is a 422 with line, column and a caret', async () => {
    const r = await h.call('POST', '/v1/traits', apiKey, {
      code: 'bad',
      name: 'Bad',
      rule: 'url.path startsWith',
    });
    assert.equal(r.status, 422);
    const p = r.body as Problem;
    assert.equal(p.code, 'invalid_rule');
    assert.equal(p.errors?.[0]?.line, 1);
    assert.equal(typeof p.errors?.[0]?.column, 'number');
    assert.match(p.errors?.[0]?.snippet ?? '', /\^/);
  });

  await t.test('an unknown trait gets a did-you-mean; a cycle is refused', async () => {
    const ok = await h.call('POST', '/v1/traits', apiKey, {
      code: 'pricing_visitor',
      name: 'P',
      rule: 'url.path startsWith "/pricing"',
    });
    assert.equal(ok.status, 201);
    const r = await h.call('POST', '/v1/segments', apiKey, {
      code: 's1',
      name: 'S1',
      rule: 'trait:pricing_vistor',
    });
    assert.equal(r.status, 422);
    assert.match(JSON.stringify(r.body), /did you mean 'pricing_visitor'/);
    assert.equal(
      (await h.call('POST', '/v1/segments', apiKey, { code: 'a', name: 'A', rule: 'trait:pricing_visitor' }))
        .status,
      201,
    );
    assert.equal(
      (await h.call('POST', '/v1/segments', apiKey, { code: 'b', name: 'B', rule: 'segment:a' })).status,
      201,
    );
    const cycle = await h.call('PATCH', '/v1/segments/a', apiKey, { rule: 'segment:b' });
    assert.equal(cycle.status, 422);
    assert.match(JSON.stringify(cycle.body), /cycle/i);
  });

  await t.test('conflicts, missing records, in-use records, unknown fields', async () => {
    const dup = await h.call('POST', '/v1/traits', apiKey, {
      code: 'pricing_visitor',
      name: 'P',
      rule: 'event == "x"',
    });
    assert.equal(dup.status, 409);
    assert.equal((await h.call('GET', '/v1/traits/nope', apiKey)).status, 404);
    assert.equal((await h.call('DELETE', '/v1/traits/pricing_visitor', apiKey)).status, 409);
    const extra = await h.call('POST', '/v1/segments', apiKey, {
      code: 'c',
      name: 'C',
      rule: 'visits >= 2',
      colour: 'red',
    });
    assert.equal(extra.status, 400);
    const overlap = await h.call('POST', '/v1/audience/overlap', apiKey, { segments: ['a', 'zzz'] });
    assert.equal(overlap.status, 422);
    assert.match((overlap.body as Problem).detail, /zzz/);
  });

  await t.test('no stack traces or internal paths in any answer', async () => {
    const r = await h.call('POST', '/v1/traits', apiKey, '{not json');
    assert.equal(r.status, 400);
    assert.doesNotMatch(JSON.stringify(r.body), /node_modules|\/src\/|at .*\.ts:/);
  });
});
