import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { bidRequest25, bidRequest26 } from '../../src/core/activation/bid-request-fixtures.ts';
import { encodeTc } from '../consent/consent-fixtures.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const MAID = '6d92078a-8246-4ba4-ae5b-76104861e7dc';

function withoutUserData(request: unknown): unknown {
  const copy = structuredClone(request) as { user?: { data?: unknown[] } };
  if (copy.user !== undefined) delete copy.user.data;
  return copy;
}

test('bid requests (OpenRTB 2.5 and 2.6), Prebid and GAM get exactly the segments the visitor may receive', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey, siteKey } = await h.app.catalog.createTenant('acme');
  await h.call('POST', '/v1/sources', apiKey, {
    code: 'crm',
    name: 'CRM',
    party: 'second',
    labels: ['no-offsite-targeting'],
  });
  await h.call('POST', '/v1/traits', apiKey, {
    code: 'pricing',
    name: 'P',
    rule: 'url.path startsWith "/pricing"',
  });
  await h.call('POST', '/v1/traits', apiKey, {
    code: 'vip',
    name: 'V',
    rule: 'signals.tier == "vip"',
    source: 'crm',
  });
  await h.call('POST', '/v1/segments', apiKey, { code: 'pricing_fans', name: 'PF', rule: 'trait:pricing' });
  await h.call('POST', '/v1/segments', apiKey, { code: 'vips', name: 'V', rule: 'trait:vip' });
  const events = [
    { uid: 'c-123', url: 'https://shop.example.com/pricing', signals: { tier: 'vip' }, ids: { maid: MAID } },
    { uid: 'c-456', url: 'https://shop.example.com/blog' },
  ];
  assert.equal((await h.call('POST', '/v1/events', apiKey, events)).status, 202);

  const ssp = {
    kind: 'openrtb',
    code: 'ssp',
    name: 'SSP',
    segments: [{ segment: 'pricing_fans', id: '607' }],
    segtax: 4,
    idType: 'uid',
    consent: { vendorId: 755, purposes: [1, 3, 4] },
    restrictions: [],
    settings: {},
  };
  const created = await h.call('POST', '/v1/destinations', apiKey, ssp);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const refused = await h.call('POST', '/v1/destinations', apiKey, {
    ...ssp,
    code: 'ssp2',
    segments: [{ segment: 'vips', id: '9' }],
  });
  assert.equal(refused.status, 422);
  assert.match((refused.body as { detail: string }).detail, /no-offsite-targeting/);
  assert.match((refused.body as { detail: string }).detail, /crm/);

  const full = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [755] });
  const enrich = (body: unknown) => h.call('POST', '/v1/openrtb/enrich?destination=ssp', apiKey, body);

  const r25 = bidRequest25(full); // visitor by buyeruid, consent in ext
  const a = await enrich(r25);
  assert.equal(a.status, 200);
  const data25 = (a.body as { user: { data: unknown[] } }).user.data;
  assert.deepEqual(data25, [
    { id: 'opendmp', name: 'opendmp.local', segment: [{ id: '607' }], ext: { segtax: 4 } },
  ]);
  assert.deepEqual(withoutUserData(a.body), withoutUserData(r25), 'nothing else changes');

  const r26 = bidRequest26(full); // visitor by device.ifa, consent top-level
  const b = (await enrich(r26)).body as { user: { data: { id: string }[] } };
  assert.deepEqual(
    b.user.data.map((d) => d.id),
    ['pub-data', 'opendmp'],
  );
  assert.deepEqual(withoutUserData(b), withoutUserData(r26));

  for (const [why, tc] of [
    ['purpose 1 only', encodeTc({ purposeConsents: [1], vendorConsents: [755] })],
    ['vendor not consented', encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [] })],
  ] as const) {
    const request = bidRequest25(tc);
    const answer = await enrich(request);
    assert.deepEqual(answer.body, request, `untouched: ${why}`);
    assert.match(answer.headers.get('x-dmp-outcome') ?? '', /^no-consent/);
  }
  // the visitor by user.id (our uid) and by an eid carrying our uid, 2.6 eids at user.eids
  const byUserId = bidRequest25(full);
  byUserId.user = { id: 'c-123', ext: { consent: full } };
  const c = (await enrich(byUserId)).body as { user: { data: { segment: { id: string }[] }[] } };
  assert.deepEqual(
    c.user.data.map((d) => d.segment.map((x) => x.id)),
    [['607']],
  );
  const byEid = bidRequest26(full);
  delete (byEid.device as { ifa?: string }).ifa;
  byEid.user = {
    ...(byEid.user as object),
    eids: [{ source: 'opendmp.local', uids: [{ id: 'c-123', atype: 1 }] }],
  };
  const e = (await enrich(byEid)).body as { user: { data: { id: string; segment: { id: string }[] }[] } };
  assert.deepEqual(e.user.data.find((d) => d.id === 'opendmp')?.segment, [{ id: '607' }]);

  const stranger = bidRequest25(full);
  stranger.user = { ...(stranger.user as object), buyeruid: 'nobody', id: 'nobody', ext: { consent: full } };
  assert.deepEqual((await enrich(stranger)).body, stranger, 'an unknown visitor gets nothing');

  await h.call('POST', '/v1/destinations', apiKey, { ...ssp, kind: 'prebid', code: 'pb', settings: {} });
  await h.call('POST', '/v1/destinations', apiKey, {
    ...ssp,
    kind: 'gam',
    code: 'gam',
    segtax: undefined,
    settings: { key: 'dmp' },
  });
  const page = async (destination: string, uid: string, extra = '') =>
    (
      await fetch(`${h.base}/v1/page/targeting?site=${siteKey}&destination=${destination}${extra}`, {
        headers: { cookie: `dmp_uid=${uid}` },
      })
    ).json() as Promise<Record<string, unknown>>;
  const consentQuery = `&gdpr=1&gdpr_consent=${full}`;
  assert.deepEqual(await page('gam', 'c-123', consentQuery).then((x) => x.targeting), { dmp: ['607'] });
  assert.deepEqual(await page('gam', 'c-456', consentQuery).then((x) => x.targeting), {});
  const prebid = (await page('pb', 'c-123', consentQuery)) as { ortb2: { user: { data: unknown[] } } };
  assert.deepEqual(prebid.ortb2.user.data, [
    { id: 'opendmp', name: 'opendmp.local', segment: [{ id: '607' }], ext: { segtax: 4 } },
  ]);
  const denied = await page('gam', 'c-123', `&gdpr=1&gdpr_consent=${encodeTc({ purposeConsents: [1] })}`);
  assert.deepEqual(denied.targeting, {});
});
