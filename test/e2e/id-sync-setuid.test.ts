import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { V22, cookieSync, profileIds, setUid, synced, tempDir, world } from '../helpers/id-sync-world.ts';

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
