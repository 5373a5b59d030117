import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const SHOP = 'https://shop.example.com';
const EVIL = 'https://evil.example';

test('page targeting answers only for the calling browser, with CORS for the site only', async (t) => {
  const clock = manualClock(NOW);
  const h = await startTestApp(clock);
  t.after(() => h.close());
  const { tenant, apiKey, siteKey } = await h.app.catalog.createTenant('acme');
  const put = await h.call('PUT', `/v1/site-keys/${siteKey}`, apiKey, { origins: [`${SHOP}/`] });
  assert.deepEqual((put.body as { origins: string[] }).origins, [SHOP]);
  const openKey = await h.app.catalog.createSiteKey(tenant, ['*']);
  await h.call('POST', '/v1/traits', apiKey, {
    code: 'pricing',
    name: 'P',
    rule: 'url.path startsWith "/pricing"',
  });
  await h.call('POST', '/v1/segments', apiKey, { code: 'fans', name: 'F', rule: 'trait:pricing' });
  const events = [
    { uid: 'c-fan', url: `${SHOP}/pricing`, consent: { gdpr: 0 } },
    { uid: 'c-plain', url: `${SHOP}/blog`, consent: { gdpr: 0 } },
  ];
  assert.equal((await h.call('POST', '/v1/events', apiKey, events)).status, 202);
  const destination = {
    code: 'gam',
    name: 'GAM',
    kind: 'gam',
    segments: [{ segment: 'fans', id: '607' }],
    idType: 'uid',
    consent: { vendorId: 755, purposes: [1, 3, 4] },
    restrictions: [],
    settings: { key: 'dmp' },
  };
  assert.equal((await h.call('POST', '/v1/destinations', apiKey, destination)).status, 201);
  const prebid = { ...destination, code: 'pb', kind: 'prebid', segtax: 4, settings: {} };
  assert.equal((await h.call('POST', '/v1/destinations', apiKey, prebid)).status, 201);

  const page = (query: string, headers: Record<string, string> = {}, key = siteKey, method = 'GET') =>
    fetch(`${h.base}/v1/page/targeting?site=${key}&destination=gam${query}`, { method, headers });
  const targeting = async (r: Response) => {
    assert.equal(r.status, 200);
    return ((await r.json()) as { targeting: unknown }).targeting;
  };
  const fan = { origin: SHOP, cookie: 'dmp_uid=c-fan' };

  await t.test("another visitor's uid in the query is refused and reveals nothing", async () => {
    for (const headers of [{}, { origin: SHOP, cookie: 'dmp_uid=c-plain' }] as Record<string, string>[]) {
      const r = await page('&uid=c-fan', headers);
      assert.equal(r.status, 400);
      const text = await r.text();
      assert.equal(text.includes('607'), false, 'no segment of c-fan');
      assert.equal((JSON.parse(text) as { code: string }).code, 'uid_not_accepted');
    }
  });

  await t.test("the browser's own cookie, from one of the site's origins, gets its segments", async () => {
    const r = await page('', fan);
    assert.equal(r.headers.get('access-control-allow-origin'), SHOP);
    assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
    assert.match(r.headers.get('vary') ?? '', /Origin/);
    assert.deepEqual(await targeting(r), { dmp: ['607'] });
  });

  await t.test('an unknown visitor and a visitor with no segments get the same answer', async () => {
    for (const code of ['gam', 'pb']) {
      const ask = (uid: string) =>
        fetch(`${h.base}/v1/page/targeting?site=${siteKey}&destination=${code}`, {
          headers: { origin: SHOP, cookie: `dmp_uid=${uid}` },
        });
      const [unknown, plain, none] = await Promise.all([ask('nobody'), ask('c-plain'), ask('')]);
      const names = (r: Response) => [...r.headers.keys()].sort();
      const bodies = await Promise.all([unknown, plain, none].map((r) => r.json()));
      assert.deepEqual([plain.status, none.status], [unknown.status, unknown.status], `${code}: same status`);
      assert.deepEqual(bodies[1], bodies[0], `${code}: the same body`);
      assert.deepEqual(bodies[2], bodies[0], `${code}: the same body without a cookie`);
      assert.deepEqual(names(plain), names(unknown), `${code}: the same headers`);
      assert.equal(JSON.stringify(bodies[0]).includes('verdict'), false, `${code}: no verdict`);
    }
  });

  await t.test(
    'a request from another site that sends no Origin (a script tag) does not read the cookie',
    async () => {
      const r = await page('', { cookie: 'dmp_uid=c-fan', 'sec-fetch-site': 'cross-site' });
      assert.deepEqual(await targeting(r), {});
      assert.deepEqual(
        await targeting(await page('', { cookie: 'dmp_uid=c-fan' })),
        { dmp: ['607'] },
        'same origin',
      );
    },
  );

  await t.test('CORS: preflight from the site; nothing for another origin or null', async () => {
    const preflight = (origin: string) =>
      page('', { origin, 'access-control-request-method': 'GET' }, siteKey, 'OPTIONS');
    const ok = await preflight(SHOP);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), SHOP);
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    assert.match(ok.headers.get('access-control-allow-methods') ?? '', /GET/);
    assert.match(ok.headers.get('vary') ?? '', /Origin/);
    for (const origin of [EVIL, 'null', `${SHOP}.evil.example`]) {
      for (const r of [await preflight(origin), await page('', { origin, cookie: 'dmp_uid=c-fan' })]) {
        assert.equal(r.status, 403, origin);
        assert.equal(r.headers.get('access-control-allow-origin'), null, `${origin}: no CORS`);
        assert.equal(r.headers.get('access-control-allow-credentials'), null, `${origin}: no credentials`);
        assert.equal((await r.text()).includes('607'), false);
      }
    }
  });

  await t.test(
    "a key open to any origin answers '*' without credentials and never reads the cookie",
    async () => {
      for (const origin of [EVIL, 'null']) {
        const r = await page('', { origin, cookie: 'dmp_uid=c-fan' }, openKey);
        assert.equal(r.headers.get('access-control-allow-origin'), '*');
        assert.equal(r.headers.get('access-control-allow-credentials'), null);
        assert.deepEqual(await targeting(r), {});
      }
    },
  );

  await t.test('a visitor token from the API names the visitor without a cookie', async () => {
    const issued = await h.call('POST', '/v1/visitor-tokens', apiKey, { uid: 'c-fan', ttlSeconds: 600 });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    const { token } = issued.body as { token: string };
    const vt = (value: string) => `&vt=${encodeURIComponent(value)}`;
    assert.deepEqual(await targeting(await page(vt(token), { origin: SHOP })), { dmp: ['607'] });
    assert.deepEqual(await targeting(await page(vt(token), { origin: EVIL }, openKey)), { dmp: ['607'] });

    const plain = (
      (await h.call('POST', '/v1/visitor-tokens', apiKey, { uid: 'c-plain' })).body as { token: string }
    ).token;
    const [, fanUid] = token.split('.');
    const [v, , expiry, mac] = plain.split('.');
    const other = await h.app.catalog.createTenant('other');
    const hijack = await h.call('PUT', `/v1/site-keys/${siteKey}`, other.apiKey, { origins: [EVIL] });
    assert.equal(hijack.status, 404, "another tenant cannot change this site's origins");
    const listed = (await h.call('GET', '/v1/site-keys', other.apiKey)).body as {
      siteKeys: { key: string }[];
    };
    assert.deepEqual(
      listed.siteKeys.map((k) => k.key),
      [other.siteKey],
    );
    const foreign = (
      (await h.call('POST', '/v1/visitor-tokens', other.apiKey, { uid: 'c-fan' })).body as { token: string }
    ).token;
    for (const [why, bad] of [
      ['another uid under a MAC', [v, fanUid, expiry, mac].join('.')],
      ["another tenant's token", foreign],
      ['not a token', 'c-fan'],
    ] as const) {
      const r = await page(vt(bad), { origin: SHOP });
      assert.equal(r.status, 401, why);
      assert.equal(((await r.json()) as { code: string }).code, 'invalid_visitor_token', why);
    }
    clock.advance(601_000);
    const expired = await page(vt(token), { origin: SHOP });
    assert.equal(expired.status, 401);
    assert.match(((await expired.json()) as { detail: string }).detail, /expired/);
  });
});
