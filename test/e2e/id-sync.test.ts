import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, manualClock } from '../../src/core/clock.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * Real TC strings, as in src/core/identity/sync-plan.test.ts. V22 (TCF v2.2, CMP 10): purposes 1-4,
 * vendors 1, 2 and 755. SPEC (the IAB's own example, CMP 27): purposes 1-3, vendors 2, 6, 8.
 * REJECT_ALL: a "reject all" string of CMP 31.
 */
const V22 = 'CQuci4AQuci4AAKABAENAHEgAPAAAAAAAAAAF5wAoAAgAEAvMAAAAAAA.YAAAAAAAAAAA';
const SPEC = 'COvFyGBOvFyGBAbAAAENAPCAAOAAAAAAAAAAAEEUACCKAAA';
const REJECT_ALL = 'CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const SHOP = 'https://shop.example.com';
const EVIL = 'https://evil.example';

const SSP_A = {
  code: 'ssp_a',
  name: 'SSP A',
  syncUrl:
    'https://ssp-a.example/sync?gdpr=${GDPR}&gdpr_consent=${GDPR_CONSENT_755}&us_privacy=${US_PRIVACY}&gpp=${GPP}&gpp_sid=${GPP_SID}&redir=${REDIRECT}',
  type: 'redirect',
  vendorId: 755,
  resyncDays: 14,
  idLifetimeDays: 90,
  uidMacro: '$UID',
};
const SSP_B = {
  code: 'ssp_b',
  name: 'SSP B',
  syncUrl: 'https://ssp-b.example/s?c=${GDPR_CONSENT_32}&r=${REDIRECT}',
  type: 'redirect',
  vendorId: 32,
};
const SSP_C = {
  code: 'ssp_c',
  name: 'SSP C',
  syncUrl: 'https://ssp-c.example/frame?u=${UID}&r=${REDIRECT}',
  type: 'iframe',
  vendorId: 8,
  uidMacro: '[UID]',
};

interface SyncAnswer {
  status: string;
  bidder_status: {
    bidder: string;
    no_cookie: boolean;
    usersync: { url: string; type: string; supportCORS: boolean };
  }[];
}

/** A started app with a tenant, its site key allowed from SHOP, and the three partners. */
async function world(dir: string, clock = manualClock(NOW)) {
  const h = await startTestApp(clock, dir);
  const { apiKey, siteKey } = await h.app.catalog.createTenant('acme');
  assert.equal((await h.call('PUT', `/v1/site-keys/${siteKey}`, apiKey, { origins: [SHOP] })).status, 200);
  for (const partner of [SSP_A, SSP_B, SSP_C]) {
    assert.equal((await h.call('POST', '/v1/partners', apiKey, partner)).status, 201, partner.code);
  }
  return { h, clock, apiKey, siteKey };
}

function cookieSync(h: TestApp, siteKey: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${h.base}/cookie_sync?site=${siteKey}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function synced(
  response: Response,
): Promise<{ status: string; bidders: string[]; answer: SyncAnswer }> {
  assert.equal(response.status, 200, await response.clone().text());
  const answer = (await response.json()) as SyncAnswer;
  return { status: answer.status, bidders: answer.bidder_status.map((b) => b.bidder), answer };
}

function setUid(
  h: TestApp,
  siteKey: string,
  query: string,
  cookie?: string,
  headers: Record<string, string> = {},
) {
  return fetch(`${h.base}/setuid?site=${siteKey}&${query}`, {
    headers: { ...(cookie === undefined ? {} : { cookie }), ...headers },
  });
}

async function profileIds(
  h: TestApp,
  apiKey: string,
  uid: string,
): Promise<Record<string, string> | undefined> {
  const r = await h.call('GET', `/v1/profiles/${encodeURIComponent(uid)}`, apiKey);
  if (r.status === 404) return undefined;
  assert.equal(r.status, 200);
  return (r.body as { ids: Record<string, string> }).ids;
}

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-id-sync-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

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

test('/setuid records the partner ID through the log: on the profile, fresh until resyncDays, kept over a restart', async (t) => {
  const dir = await tempDir(t);
  const first = await world(dir);
  const { clock, apiKey, siteKey } = first;
  let h = first.h;
  t.after(() => h.close());
  const visitor = 'dmp_uid=c-1';

  // the page asks, the partner redirects the browser to our ${REDIRECT} with its ID in place of its macro
  const plan = await synced(
    await cookieSync(h, siteKey, { bidders: ['ssp_a'], gdpr: 1, gdpr_consent: V22 }, { cookie: visitor }),
  );
  const redir = new URL(plan.answer.bidder_status[0]!.usersync.url).searchParams.get('redir')!;
  const back = await fetch(redir.replace('$UID', 'A-123'), { headers: { cookie: visitor } });
  assert.equal(back.status, 200);
  assert.equal(back.headers.get('content-type'), 'image/gif');
  assert.equal(
    Buffer.from(await back.arrayBuffer())
      .subarray(0, 6)
      .toString('latin1'),
    'GIF89a',
  );
  assert.equal(back.headers.get('set-cookie'), null, 'the browser keeps its cookie');
  assert.equal((await profileIds(h, apiKey, 'c-1'))?.ssp_a, 'A-123');

  const fresh = await synced(await cookieSync(h, siteKey, { gdpr: 0 }, { cookie: visitor }));
  assert.deepEqual(fresh.bidders, ['ssp_b', 'ssp_c'], 'ssp_a was synced less than resyncDays ago');

  const frame = await setUid(h, siteKey, 'bidder=ssp_c&uid=C-77&gdpr=0&f=b', visitor);
  assert.equal(frame.status, 200);
  assert.match(frame.headers.get('content-type') ?? '', /text\/html/);
  assert.equal(await frame.text(), '');

  // a new browser: a new cookie, and the ID under it
  const fresh2 = await setUid(h, siteKey, 'bidder=ssp_b&uid=B-9&gdpr=0');
  assert.equal(fresh2.status, 200);
  const newUid = /dmp_uid=([^;]+)/.exec(fresh2.headers.get('set-cookie') ?? '')?.[1];
  assert.ok(newUid !== undefined, 'a dmp_uid cookie is set');
  assert.equal((await profileIds(h, apiKey, decodeURIComponent(newUid)))?.ssp_b, 'B-9');

  // restart on the same data folder: the mapping is replayed from the log
  await h.close();
  h = await startTestApp(clock, dir);
  const ids = await profileIds(h, apiKey, 'c-1');
  assert.equal(ids?.ssp_a, 'A-123');
  assert.equal(ids?.ssp_c, 'C-77');
  assert.deepEqual(
    (await synced(await cookieSync(h, siteKey, { gdpr: 0 }, { cookie: visitor }))).bidders,
    ['ssp_b'],
    'still fresh after the restart',
  );
  clock.advance(15 * DAY_MS);
  assert.deepEqual(
    (await synced(await cookieSync(h, siteKey, { gdpr: 0 }, { cookie: visitor }))).bidders,
    ['ssp_b', 'ssp_a', 'ssp_c'],
    'after resyncDays (14) every partner is due again: the never synced first, then the stalest',
  );
});

test('/setuid refuses an unknown bidder, a bad ID and missing consent, and records nothing then', async (t) => {
  const { h, apiKey, siteKey } = await world(await tempDir(t));
  t.after(() => h.close());
  const visitor = 'dmp_uid=c-2';
  const refused = async (
    query: string,
    status: number,
    code: string,
    headers: Record<string, string> = {},
  ) => {
    const r = await setUid(h, siteKey, query, visitor, headers);
    assert.equal(r.status, status, query);
    assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    const body = (await r.json()) as { code: string; detail: string };
    assert.equal(body.code, code, query);
    return body.detail;
  };
  assert.match(await refused('bidder=nobody&uid=X', 400, 'unknown_bidder'), /no ID-sync partner "nobody"/);
  assert.match(await refused('bidder=nobody&uid=X&f=b', 400, 'unknown_bidder'), /bidder: /);
  assert.match(await refused('bidder=ssp_a&uid=$UID', 400, 'invalid_uid'), /still the partner's macro/);
  assert.match(await refused(`bidder=ssp_a&uid=${'x'.repeat(300)}`, 400, 'invalid_uid'), /limit is 256/);
  assert.match(
    await refused('bidder=ssp_a&uid=A-1&gdpr=1', 400, 'invalid_request'),
    /gdpr_consent: is required/,
  );
  assert.match(
    await refused(`bidder=ssp_b&uid=B-1&gdpr=1&gdpr_consent=${V22}`, 451, 'consent_refused'),
    /vendor 32 has no consent/,
  );
  assert.match(
    await refused('bidder=ssp_a&uid=A-1&gdpr=0', 451, 'consent_refused', { 'sec-gpc': '1' }),
    /Global Privacy Control/,
  );
  assert.match(await refused('bidder=ssp_a&uid=A-1&us_privacy=1YYN', 451, 'consent_refused'), /opted out/i);
  assert.equal(await profileIds(h, apiKey, 'c-2'), undefined, 'no profile was made');

  // a partner ID another profile holds is not recorded: partner IDs never link two of our visitors
  assert.equal((await setUid(h, siteKey, 'bidder=ssp_a&uid=A-SHARED&gdpr=0', 'dmp_uid=c-5')).status, 200);
  const before = (await h.call('GET', '/v1/profiles/c-5', apiKey)).body;
  const shared = await setUid(h, siteKey, 'bidder=ssp_a&uid=A-SHARED&gdpr=0', 'dmp_uid=c-6');
  assert.equal(shared.status, 200);
  assert.equal(await profileIds(h, apiKey, 'c-6'), undefined, 'no profile for c-6');
  assert.deepEqual((await h.call('GET', '/v1/profiles/c-5', apiKey)).body, before, "c-5's profile unchanged");
  assert.equal(
    (await setUid(h, siteKey, 'bidder=ssp_a&uid=A-SHARED&gdpr=0')).headers.get('set-cookie'),
    null,
  );

  const empty = await setUid(h, siteKey, 'bidder=ssp_a&uid=', visitor);
  assert.equal(empty.status, 200, 'an empty uid: the partner has no ID; nothing to record');
  assert.equal(await profileIds(h, apiKey, 'c-2'), undefined);
  assert.equal((await setUid(h, 'site_wrong', 'bidder=ssp_a&uid=A-1', visitor)).status, 403);
});

test('an opted-out visitor gets no syncs, and /setuid records nothing for it', async (t) => {
  const { h, apiKey, siteKey } = await world(await tempDir(t));
  t.after(() => h.close());

  assert.equal((await setUid(h, siteKey, 'bidder=ssp_a&uid=A-5&gdpr=0', 'dmp_uid=c-opt')).status, 200);
  assert.equal((await profileIds(h, apiKey, 'c-opt'))?.ssp_a, 'A-5');
  const out = await h.call('POST', '/v1/optouts', apiKey, { idType: 'uid', id: 'c-opt' });
  assert.equal(out.status, 201);
  assert.equal(await profileIds(h, apiKey, 'c-opt'), undefined, 'the opt-out deleted the profile');

  const plan = await synced(await cookieSync(h, siteKey, { gdpr: 0 }, { cookie: 'dmp_uid=c-opt' }));
  assert.deepEqual(plan.answer, { status: 'ok', bidder_status: [] });
  const r = await setUid(h, siteKey, 'bidder=ssp_b&uid=B-5&gdpr=0', 'dmp_uid=c-opt');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('set-cookie'), null);
  assert.equal(await profileIds(h, apiKey, 'c-opt'), undefined, 'nothing recorded');

  // the opt-out cookie of the browser, without a registry entry
  const cookie = 'dmp_uid=c-3; dmp_optout=1';
  assert.deepEqual((await synced(await cookieSync(h, siteKey, { gdpr: 0 }, { cookie }))).bidders, []);
  const none = await synced(await cookieSync(h, siteKey, { gdpr: 0 }, { cookie: 'dmp_optout=1' }));
  assert.deepEqual(none.answer, { status: 'no_cookie', bidder_status: [] });
  assert.equal((await setUid(h, siteKey, 'bidder=ssp_a&uid=A-6&gdpr=0', cookie)).status, 200);
  assert.equal(await profileIds(h, apiKey, 'c-3'), undefined, 'nothing recorded');
  const noCookie = await setUid(h, siteKey, 'bidder=ssp_a&uid=A-7&gdpr=0', 'dmp_optout=1');
  assert.equal(noCookie.headers.get('set-cookie'), null, 'no visitor cookie for an opted-out browser');
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
