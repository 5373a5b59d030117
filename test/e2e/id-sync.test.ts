import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EVIL,
  REJECT_ALL,
  SHOP,
  SPEC,
  SSP_A,
  SSP_B,
  V22,
  cookieSync,
  synced,
  tempDir,
  world,
} from '../helpers/id-sync-world.ts';

test('partners: create, read, change, delete, each checked whole and audited, per tenant', async (t) => {
  const { h, apiKey } = await world(await tempDir(t));
  t.after(() => h.close());

  const list = await h.call('GET', '/v1/partners', apiKey);
  assert.deepEqual(
    (list.body as { partners: { code: string }[] }).partners.map((p) => p.code),
    ['ssp_a', 'ssp_b', 'ssp_c'],
  );
  const b = await h.call('GET', '/v1/partners/ssp_b', apiKey);
  const { createdAt, updatedAt, ...stored } = b.body as { createdAt: string; updatedAt: string };
  assert.deepEqual(
    stored,
    { ...SSP_B, resyncDays: 14, idLifetimeDays: 90, uidMacro: '$UID' },
    'the defaults',
  );
  assert.equal(updatedAt, createdAt);
  assert.ok(Number.isFinite(Date.parse(createdAt)));

  const bad = await h.call('POST', '/v1/partners', apiKey, {
    code: 'maid',
    name: '',
    type: 'popup',
    syncUrl: 'ftp://ssp.example/x',
    resyncDays: 0,
    color: 'red',
  });
  assert.equal(bad.status, 422);
  assert.match(bad.headers.get('content-type') ?? '', /application\/problem\+json/);
  const problem = bad.body as {
    code: string;
    detail: string;
    field: string;
    errors: { field: string; message: string }[];
  };
  assert.equal(problem.code, 'invalid_partner');
  assert.deepEqual(problem.errors.map((e) => e.field).sort(), [
    'body',
    'code',
    'name',
    'resyncDays',
    'syncUrl',
    'type',
  ]);
  assert.match(
    problem.errors.find((e) => e.field === 'code')?.message ?? '',
    /built-in ID type; .*pick another code/,
  );
  assert.match(
    problem.errors.find((e) => e.field === 'syncUrl')?.message ?? '',
    /must start with https:\/\//,
  );
  assert.match(problem.detail, /^[a-zA-Z]+: /, 'the detail names the field at fault');

  const again = await h.call('POST', '/v1/partners', apiKey, SSP_A);
  assert.equal(again.status, 409);
  assert.equal((again.body as { code: string }).code, 'conflict');

  const patched = await h.call('PATCH', '/v1/partners/ssp_a', apiKey, { resyncDays: 7, name: 'SSP A v2' });
  assert.equal(patched.status, 200);
  assert.equal((patched.body as { resyncDays: number }).resyncDays, 7);
  assert.equal((patched.body as { syncUrl: string }).syncUrl, SSP_A.syncUrl, 'other fields kept');

  const wrongVendor = await h.call('PATCH', '/v1/partners/ssp_a', apiKey, { vendorId: 32 });
  assert.equal(wrongVendor.status, 422);
  assert.match(
    (wrongVendor.body as { detail: string }).detail,
    /syncUrl: .*GDPR_CONSENT_755.*vendorId is 32.*GDPR_CONSENT_32/,
  );
  const renamed = await h.call('PATCH', '/v1/partners/ssp_a', apiKey, { code: 'ssp_z' });
  assert.equal(renamed.status, 422);
  assert.equal((renamed.body as { field: string }).field, 'code');
  const stringDays = await h.call('PATCH', '/v1/partners/ssp_a', apiKey, { resyncDays: '3' });
  assert.equal(stringDays.status, 422, 'a number sent as text is refused, not coerced');
  assert.equal(
    ((await h.call('GET', '/v1/partners/ssp_a', apiKey)).body as { resyncDays: number }).resyncDays,
    7,
  );

  const dropVendor = await h.call('PATCH', '/v1/partners/ssp_c', apiKey, {
    vendorId: null,
    syncUrl: 'https://ssp-c.example/frame?r=${REDIRECT}',
  });
  assert.equal(dropVendor.status, 200);
  assert.equal('vendorId' in (dropVendor.body as object), false);

  assert.equal((await h.call('DELETE', '/v1/partners/ssp_c', apiKey)).status, 204);
  const gone = await h.call('DELETE', '/v1/partners/ssp_c', apiKey);
  assert.equal(gone.status, 404);
  assert.match((gone.body as { detail: string }).detail, /no partner 'ssp_c'/);
  assert.equal((await h.call('GET', '/v1/partners/ssp_c', apiKey)).status, 404);

  const audit = await h.call('GET', '/v1/audit?target=partner:ssp_a', apiKey);
  const entries = (audit.body as { entries: { action: string; before: unknown; after: unknown }[] }).entries;
  assert.deepEqual(
    entries.map((e) => e.action),
    ['partner.create', 'partner.update'],
    'refused changes leave no entry',
  );
  assert.equal((entries[1]?.before as { resyncDays: number }).resyncDays, 14);
  assert.equal((entries[1]?.after as { resyncDays: number }).resyncDays, 7);

  const beta = await h.app.catalog.createTenant('beta');
  assert.deepEqual((await h.call('GET', '/v1/partners', beta.apiKey)).body, { partners: [] });
  assert.equal((await h.call('GET', '/v1/partners/ssp_a', beta.apiKey)).status, 404);
  assert.equal((await h.call('DELETE', '/v1/partners/ssp_a', beta.apiKey)).status, 404);
  assert.equal(
    (await h.call('GET', '/v1/partners/ssp_a', apiKey)).status,
    200,
    "beta's delete left acme's partner",
  );

  const spec = (await h.call('GET', '/openapi.json')).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  for (const [path, method] of [
    ['/v1/partners', 'post'],
    ['/v1/partners/{code}', 'patch'],
    ['/cookie_sync', 'post'],
    ['/setuid', 'get'],
  ] as const) {
    assert.ok(spec.paths[path]?.[method] !== undefined, `${method} ${path} is documented`);
  }
  assert.ok((spec.paths['/v1/partners']?.post as { requestBody?: unknown }).requestBody !== undefined);
});

test('/cookie_sync: consent per vendor, US opt-outs and GPC, limit, no cookie, bidders, body forms', async (t) => {
  const { h, siteKey } = await world(await tempDir(t));
  t.after(() => h.close());
  const visitor = { cookie: 'dmp_uid=c-1' };

  const v22 = await synced(await cookieSync(h, siteKey, { gdpr: 1, gdpr_consent: V22 }, visitor));
  assert.deepEqual(v22.bidders, ['ssp_a'], 'vendor 755 has consent in the v2.2 string; 32 and 8 do not');
  const redirect = `${h.base}/setuid?site=${siteKey}&bidder=ssp_a&gdpr=1&gdpr_consent=${V22}&f=i&uid=$UID`;
  assert.deepEqual(v22.answer, {
    status: 'ok',
    bidder_status: [
      {
        bidder: 'ssp_a',
        no_cookie: true,
        usersync: {
          url: `https://ssp-a.example/sync?gdpr=1&gdpr_consent=${V22}&us_privacy=&gpp=&gpp_sid=&redir=${encodeURIComponent(redirect)}`,
          type: 'redirect',
          supportCORS: false,
        },
      },
    ],
  });

  const spec = await synced(await cookieSync(h, siteKey, { gdpr: 1, gdpr_consent: SPEC }, visitor));
  assert.deepEqual(spec.bidders, ['ssp_c'], "the IAB's example string consents to vendor 8 only");
  const frame = spec.answer.bidder_status[0]!.usersync;
  assert.equal(frame.type, 'iframe');
  assert.ok(frame.url.startsWith('https://ssp-c.example/frame?u=c-1&r='), 'our uid fills ${UID}');
  assert.ok(frame.url.endsWith(encodeURIComponent('&f=b&uid=[UID]')), "the partner's macro, last");

  assert.deepEqual(
    (await synced(await cookieSync(h, siteKey, { gdpr: 1, gdpr_consent: REJECT_ALL }, visitor))).bidders,
    [],
  );
  assert.deepEqual(
    (await synced(await cookieSync(h, siteKey, { gdpr: 0 }, { ...visitor, 'sec-gpc': '1' }))).bidders,
    [],
    'Sec-GPC: 1 stops every sync',
  );
  assert.deepEqual(
    (await synced(await cookieSync(h, siteKey, { gdpr: 0, us_privacy: '1YYN' }, visitor))).bidders,
    [],
  );
  assert.deepEqual(
    (await synced(await cookieSync(h, siteKey, { gdpr: 0, us_privacy: '1YNN' }, visitor))).bidders,
    ['ssp_a', 'ssp_b', 'ssp_c'],
  );

  assert.deepEqual(
    (await synced(await cookieSync(h, siteKey, { gdpr: 0, limit: 2 }, visitor))).bidders,
    ['ssp_a', 'ssp_b'],
    'never synced: by code, up to the limit',
  );
  assert.deepEqual(
    (await synced(await cookieSync(h, siteKey, { bidders: ['ssp_c', 'nobody'], gdpr: 0 }, visitor))).bidders,
    ['ssp_c'],
  );
  assert.deepEqual((await synced(await cookieSync(h, siteKey, { bidders: [] }, visitor))).bidders, []);

  const none = await synced(await cookieSync(h, siteKey, { gdpr: 0 }));
  assert.equal(none.status, 'no_cookie');
  assert.deepEqual(none.bidders, ['ssp_a', 'ssp_b', 'ssp_c'], 'without our cookie every partner is listed');
  assert.ok(none.answer.bidder_status[2]!.usersync.url.startsWith('https://ssp-c.example/frame?u=&r='));

  const plain = await cookieSync(h, siteKey, JSON.stringify({ bidders: ['ssp_b'], gdpr: 0 }), {
    ...visitor,
    'content-type': 'text/plain;charset=utf-8',
  });
  assert.deepEqual((await synced(plain)).bidders, ['ssp_b'], 'a text/plain body, as Prebid.js sends it');
  const empty = await fetch(`${h.base}/cookie_sync?site=${siteKey}`, {
    method: 'POST',
    headers: { origin: SHOP },
  });
  assert.deepEqual((await synced(empty)).bidders, ['ssp_a', 'ssp_b', 'ssp_c'], 'no body: every partner');

  for (const [body, field] of [
    [{ gdpr: 1 }, 'gdpr_consent'],
    [{ gdpr: '1' }, 'gdpr'],
    [{ bidders: 'ssp_a' }, 'bidders'],
    ['{not json', undefined],
  ] as const) {
    const r = await cookieSync(h, siteKey, body, visitor);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    if (field !== undefined) assert.equal(((await r.json()) as { field: string }).field, field);
  }
  const noKey = await fetch(`${h.base}/cookie_sync`, { method: 'POST', body: '{}' });
  assert.equal(noKey.status, 401);
  assert.equal((await cookieSync(h, 'site_wrong', { gdpr: 0 })).status, 403);
});

test("/cookie_sync answers CORS for the site key's origins only; a key open to any origin reads no cookie", async (t) => {
  const { h, apiKey, siteKey } = await world(await tempDir(t));
  t.after(() => h.close());
  const visitor = { cookie: 'dmp_uid=c-4' };

  const ok = await cookieSync(h, siteKey, { gdpr: 0 }, visitor);
  assert.equal(ok.headers.get('access-control-allow-origin'), SHOP);
  assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
  assert.match(ok.headers.get('vary') ?? '', /Origin/);
  assert.equal((await synced(ok)).status, 'ok', 'the cookie was read');

  const preflight = (origin: string, key = siteKey) =>
    fetch(`${h.base}/cookie_sync?site=${key}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
  const allowed = await preflight(SHOP);
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), SHOP);
  assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
  assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /POST/);
  assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /Content-Type/i);

  for (const origin of [EVIL, 'null', `${SHOP}.evil.example`]) {
    for (const r of [
      await preflight(origin),
      await cookieSync(h, siteKey, { gdpr: 0 }, { ...visitor, origin }),
    ]) {
      assert.equal(r.status, 403, origin);
      assert.equal(r.headers.get('access-control-allow-origin'), null, `${origin}: no CORS`);
      assert.equal(r.headers.get('access-control-allow-credentials'), null);
      assert.equal((await r.text()).includes('ssp-a.example'), false, `${origin}: no sync URL`);
    }
  }

  const open = await h.app.catalog.createSiteKey('acme', ['*']);
  const anyOrigin = await cookieSync(h, open, { gdpr: 0 }, { ...visitor, origin: EVIL });
  assert.equal(anyOrigin.headers.get('access-control-allow-origin'), '*');
  assert.equal(anyOrigin.headers.get('access-control-allow-credentials'), null);
  const answer = await synced(anyOrigin);
  assert.equal(answer.status, 'no_cookie', 'the cookie is not read for a key open to any origin');
  assert.ok(answer.answer.bidder_status[0]!.usersync.url.includes(encodeURIComponent(`site=${open}`)));
  void apiKey;
});
