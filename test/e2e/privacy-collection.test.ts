import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { LONDON_IP } from '../helpers/addresses.ts';
import { maidOf } from '../helpers/fake-ids.ts';
import { encodeGpp, encodeTc } from '../consent/consent-fixtures.ts';
import { openOptOutForm, pressOptOut } from '../helpers/browser-opt-out.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

test('collection obeys consent and opt-outs, with real TCF, GPP and US Privacy strings', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey, siteKey } = await h.app.catalog.createTenant('acme');
  const storeOnly = encodeTc({ purposeConsents: [1] });
  const storeAndCity = encodeTc({ purposeConsents: [1, 3, 4], specialFeatureOptins: [1] });
  const nothing = encodeTc({ purposeConsents: [] });

  await t.test('events without consent to store are dropped, counted, and not errors', async () => {
    const batch = [
      { uid: 'ok-1', ip: LONDON_IP, consent: { gdpr: 1, tcf: storeOnly } },
      { uid: 'no-string', consent: { gdpr: 1 } },
      { uid: 'refused', consent: { gdpr: 1, tcf: nothing } },
      { uid: 'garbage', consent: { gdpr: 1, tcf: 'not-a-tc-string' } },
      { uid: 'ok-2', ip: LONDON_IP, consent: { gdpr: 1, tcf: storeAndCity } },
      { uid: 'no-gdpr', ip: LONDON_IP },
    ];
    const r = await h.call('POST', '/v1/events', apiKey, batch);
    assert.equal(r.status, 202);
    assert.deepEqual(r.body, { accepted: 3, rejected: [], dropped: { consent: 3, optOut: 0 } });
    for (const uid of ['no-string', 'refused', 'garbage']) {
      assert.equal((await h.call('GET', `/v1/profiles/${uid}`, apiKey)).status, 404, uid);
    }
    const all = await h.call('POST', '/v1/events', apiKey, [{ uid: 'x', consent: { gdpr: 1 } }]);
    assert.equal(all.status, 202, 'a batch dropped for consent is not a bad request');
  });

  await t.test('city and region are kept only with special feature 1 (precise geolocation)', async () => {
    const geoOf = async (uid: string) =>
      (
        (await h.call('GET', `/v1/profiles/${uid}`, apiKey)).body as {
          attributes: { geo: Record<string, string> };
        }
      ).attributes.geo;
    assert.deepEqual(await geoOf('ok-1'), { country: 'GB' });
    assert.equal((await geoOf('ok-2')).city, 'London');
    assert.equal((await geoOf('no-gdpr')).city, 'London');
  });

  await t.test('the latest consent is kept with the profile', async () => {
    const body = (await h.call('GET', '/v1/profiles/ok-2', apiKey)).body as { consent: { tcf: string } };
    assert.equal(body.consent.tcf, storeAndCity);
  });

  await t.test('the pixel answers at once without consent, and sets no cookie', async () => {
    const refused = await fetch(`${h.base}/px?site=${siteKey}&gdpr=1&gdpr_consent=${nothing}`);
    assert.equal(refused.status, 200);
    assert.equal(refused.headers.get('content-type'), 'image/gif');
    assert.equal(refused.headers.get('set-cookie'), null);
    const given = await fetch(`${h.base}/px?site=${siteKey}&gdpr=1&gdpr_consent=${storeOnly}`);
    assert.match(given.headers.get('set-cookie') ?? '', /dmp_uid=/);
  });

  await t.test('US opt-outs (US Privacy, GPP usnat, GPC) do not stop storing, and are kept', async () => {
    const gpp = encodeGpp({ usnat: { SaleOptOut: 1, SaleOptOutNotice: 1 } });
    const r = await h.call(
      'POST',
      '/v1/events',
      apiKey,
      [
        { uid: 'us-1', consent: { usp: '1YYN' } },
        { uid: 'us-2', consent: { gpp, gppSid: [7] } },
      ],
      { 'sec-gpc': '1' },
    );
    assert.deepEqual(r.body, { accepted: 2, rejected: [] });
    const body = (await h.call('GET', '/v1/profiles/us-2', apiKey)).body as {
      consent: { gpp: string; gpc: boolean };
    };
    assert.equal(body.consent.gpp, gpp);
  });

  await t.test('opt-out: the public link sets a cookie that stops collection from that browser', async () => {
    const first = await fetch(`${h.base}/px?site=${siteKey}&url=https://shop.example.com/`);
    const uidCookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const uid = decodeURIComponent(uidCookie.split('=')[1] ?? '');
    assert.equal((await h.call('GET', `/v1/profiles/${uid}`, apiKey)).status, 200);
    const form = await openOptOutForm(h.base, `?site=${siteKey}`, uidCookie);
    const out = await pressOptOut(h.base, `?site=${siteKey}`, uidCookie, form);
    assert.equal(out.status, 200);
    assert.match(out.headers.get('set-cookie') ?? '', /dmp_optout=1; Max-Age=\d{8,}/);
    assert.equal((await h.call('GET', `/v1/profiles/${uid}`, apiKey)).status, 404, 'the profile is deleted');
    const after = await fetch(`${h.base}/px?site=${siteKey}`, {
      headers: { cookie: `${uidCookie}; dmp_optout=1` },
    });
    assert.equal(after.status, 200);
    assert.equal(after.headers.get('set-cookie'), null);
    assert.equal((await h.call('GET', `/v1/profiles/${uid}`, apiKey)).status, 404, 'nothing was collected');
  });

  await t.test('opt-out by ID through the API deletes the profile and refuses later events', async () => {
    await h.call('POST', '/v1/events', apiKey, { uid: 'c-9', ids: { maid: maidOf('m-9') } });
    const r = await h.call('POST', '/v1/optouts', apiKey, { idType: 'maid', id: maidOf('m-9') });
    assert.equal(r.status, 201);
    assert.equal((r.body as { profileDeleted: boolean }).profileDeleted, true);
    const again = await h.call('POST', '/v1/events', apiKey, [{ uid: 'c-10', ids: { maid: maidOf('m-9') } }]);
    assert.deepEqual(again.body, { accepted: 0, rejected: [], dropped: { consent: 0, optOut: 1 } });
    assert.equal((await h.call('GET', '/v1/profiles/c-10', apiKey)).status, 404);
  });
});
