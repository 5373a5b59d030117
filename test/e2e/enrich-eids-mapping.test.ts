import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { bidRequest26 } from '../../src/core/activation/bid-request-fixtures.ts';
import type { BidRequest } from '../../src/core/activation/index.ts';
import { encodeTc } from '../consent/consent-fixtures.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { pricingTenant } from '../helpers/pricing-tenant.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** The RampID of the 2.6 fixture's `user.eids` (source `liveramp.com`). */
const RAMP_ID = 'XY1000bIVBVah9ium-sZ3ykhPiXQbEcUpn4GjCtxrrw2BRDGM';
const FULL = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [755] });

/** The fixture's OpenRTB 2.6 in-app request without its `device.ifa`: the visitor is named by eids only. */
function eidsOnlyRequest(): BidRequest {
  const request = bidRequest26(FULL);
  delete (request.device as { ifa?: string }).ifa;
  return request;
}

test('bid enrichment finds the visitor by user.eids under the ID type the tenant maps its source to', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey, ok } = await pricingTenant(h);
  await ok(
    h.call('POST', '/v1/destinations', apiKey, {
      kind: 'openrtb',
      code: 'ssp',
      name: 'SSP',
      segments: [{ segment: 'pricing_fans', id: '607' }],
      idType: 'uid',
      consent: { vendorId: 755, purposes: [1, 3, 4] },
      restrictions: [],
      settings: {},
    }),
    201,
  );
  // the visitor is known by its RampID only under the type liveramp.com maps to by default
  await ok(
    h.call('POST', '/v1/events', apiKey, [
      { uid: 'c-ramp', ids: { liveramp: RAMP_ID }, url: 'https://shop.example.com/pricing' },
    ]),
    202,
  );
  const enrich = () => h.call('POST', '/v1/openrtb/enrich?destination=ssp', apiKey, eidsOnlyRequest());
  const segmentsOf = (body: unknown) =>
    ((body as { user: { data: { id: string; segment: { id: string }[] }[] } }).user.data ?? []).find(
      (d) => d.id === 'opendmp',
    )?.segment;

  const found = await enrich();
  assert.equal(found.status, 200);
  assert.match(found.headers.get('x-dmp-outcome') ?? '', /^sent;/);
  assert.deepEqual(segmentsOf(found.body), [{ id: '607' }]);

  // the tenant reads liveramp.com as its own type from now on: the old type no longer finds the visitor
  const settings = (await ok(
    h.call('PUT', '/v1/identity/settings', apiKey, { eidsSources: { 'LiveRamp.com': 'ramp_id' } }),
    200,
  )) as { effective: { eidsSources: Record<string, string> } };
  assert.equal(settings.effective.eidsSources['liveramp.com'], 'ramp_id');
  const lost = await enrich();
  assert.equal(lost.status, 200);
  assert.match(lost.headers.get('x-dmp-outcome') ?? '', /^not-found;/);
  assert.deepEqual(lost.body, eidsOnlyRequest(), 'the request comes back untouched');

  // once the visitor is known under the new type, the same request finds it again
  await ok(
    h.call('POST', '/v1/events', apiKey, [
      { uid: 'c-ramp', ids: { ramp_id: RAMP_ID }, url: 'https://shop.example.com/blog' },
    ]),
    202,
  );
  const again = await enrich();
  assert.match(again.headers.get('x-dmp-outcome') ?? '', /^sent;/);
  assert.deepEqual(segmentsOf(again.body), [{ id: '607' }]);

  // a source set to null is not read at all
  await ok(h.call('PUT', '/v1/identity/settings', apiKey, { eidsSources: { 'liveramp.com': null } }), 200);
  assert.match((await enrich()).headers.get('x-dmp-outcome') ?? '', /^not-found;/);
});
