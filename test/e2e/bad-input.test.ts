import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}
const detail = (r: Answer) => JSON.stringify(r.body);

test('bad input is a clear 4xx, never a 500, and never costs the good input beside it', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey, siteKey } = await h.app.catalog.createTenant('acme');

  await t.test('a malformed uid or opt-out cookie counts as no cookie', async () => {
    const r = await h.call(
      'GET',
      `/px?site=${siteKey}&url=https%3A%2F%2Fshop.example.com%2F`,
      undefined,
      undefined,
      {
        cookie: 'dmp_uid=%; dmp_optout=%E0%A4%A',
      },
    );
    assert.equal(r.status, 200, detail(r));
    const uid = /dmp_uid=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')?.[1];
    assert.match(uid ?? '', /^[0-9a-f-]{36}$/, 'a new ID replaces the broken one');
    assert.equal((await h.call('GET', `/v1/profiles/${uid}`, apiKey)).status, 200);
    const events = await h.call('POST', `/v1/events?site=${siteKey}`, undefined, [{ uid: 'c-1' }], {
      cookie: 'dmp_optout=%',
    });
    assert.equal(events.status, 202, detail(events));
  });

  await t.test('JSON nested thousands deep is a 400 that says so, on any route', async () => {
    const bodies: [string, string][] = [
      ['/v1/traits', `{"code":"x","name":"X","rule":${deep(5000)}}`],
      ['/v1/segments', `{"code":"x","name":"X","rule":${deep(5000)}}`],
      ['/v1/audience/size', `{"rule":${deep(5000)}}`],
      ['/v1/destinations', deep(5000)],
      ['/v1/openrtb/enrich?destination=x', `{"id":"r","imp":[{}],"user":${deep(5000)}}`],
    ];
    for (const [path, body] of bodies) {
      const r = await h.call('POST', path, apiKey, body);
      assert.equal(r.status, 400, `${path}: ${detail(r)}`);
      assert.match(detail(r), /deeper than 64 levels/, path);
    }
    const ndjson = `{"uid":"nd-1"}\n{"uid":"nd-2","signals":${deep(5000)}}\n{"uid":"nd-3"}\n`;
    const r = await h.call('POST', '/v1/events', apiKey, ndjson, { 'content-type': 'application/x-ndjson' });
    assert.equal(r.status, 202, detail(r));
    const answer = r.body as { accepted: number; rejected: { index: number; error: string }[] };
    assert.equal(answer.accepted, 2);
    assert.equal(answer.rejected[0]?.index, 1);
    assert.match(
      answer.rejected[0]?.error ?? '',
      /^events\[1\]: nests objects and arrays deeper than 64 levels/,
    );
  });

  await t.test('names and free text have length limits', async () => {
    const long = (n: number) => 'x'.repeat(n);
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/traits', { code: 't', name: long(201), rule: 'url.path == "/"' }, 'body.name'],
      [
        'POST',
        '/v1/traits',
        { code: 't', name: 'T', rule: 'url.path == "/"', description: long(2001) },
        'body.description',
      ],
      [
        'POST',
        '/v1/traits',
        { code: 't', name: 'T', rule: 'url.path == "/"', folder: long(201) },
        'body.folder',
      ],
      ['POST', '/v1/traits', { code: long(100_000), name: 'T', rule: 'url.path == "/"' }, 'body.code'],
      ['POST', '/v1/segments', { code: 's', name: long(201), rule: 'url.path == "/"' }, 'body.name'],
      ['POST', '/v1/sources', { code: 'src', name: long(201), party: 'first' }, 'body.name'],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await h.call(method, path, apiKey, body);
      assert.equal(r.status, 400, `${path} ${field}: ${detail(r).slice(0, 200)}`);
      assert.equal((r.body as { field?: string }).field, field);
      assert.ok(detail(r).length < 2000, 'the answer does not echo the text');
    }
    const campaign = await h.call('POST', '/v1/campaigns', apiKey, {
      code: 'c',
      name: long(201),
      segments: ['s'],
      destinations: ['d'],
    });
    assert.ok(campaign.status >= 400 && campaign.status < 500, detail(campaign));
    assert.match(detail(campaign), /name/);
  });

  await t.test('numbers beyond what is kept exactly are refused by name, not rounded', async () => {
    const batch =
      '[{"uid":"n-1","signals":{"value":12345678901234567891}},{"uid":"n-2","ts":99999999999999999999},{"uid":"n-3","signals":{"value":0.5}}]';
    const r = await h.call('POST', '/v1/events', apiKey, batch);
    assert.equal(r.status, 202, detail(r));
    const answer = r.body as { accepted: number; rejected: { index: number; error: string }[] };
    assert.equal(answer.accepted, 1);
    assert.match(
      answer.rejected[0]?.error ?? '',
      /^events\[0\]\.signals\.value: a number beyond 9007199254740991/,
    );
    assert.match(answer.rejected[1]?.error ?? '', /^events\[1\]\.ts: a number beyond 9007199254740991/);
    assert.equal((await h.call('GET', '/v1/profiles/n-1', apiKey)).status, 404, 'nothing rounded was stored');

    const decode = await h.call(
      'POST',
      '/v1/consent/decode',
      apiKey,
      '{"gdpr":0,"vendorId":12345678901234567891}',
    );
    assert.equal(decode.status, 400, detail(decode));
    assert.equal((decode.body as { field?: string }).field, 'body');
    assert.match(detail(decode), /body\.vendorId: a number beyond/);

    for (const query of ['after=99999999999999999999', 'limit=1e400']) {
      const audit = await h.call('GET', `/v1/audit?${query}`, apiKey);
      assert.equal(audit.status, 400, `${query}: ${detail(audit)}`);
      assert.match(detail(audit), /querystring\.(after|limit)/);
    }
  });
});
