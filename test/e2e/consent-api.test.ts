import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { encodeTc, TCF_V1_STRING } from '../consent/consent-fixtures.ts';

test('the consent API decodes strings, shows every decision, and looks vendors up in the GVL', async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-11-20T12:00:00Z')));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  type Answer = {
    decisions: Record<string, { allowed: boolean; reason: string }>;
    state: { errors: string[] };
  };

  const purposeOneOnly = encodeTc({ purposeConsents: [1], vendorConsents: [755] });
  const a = (
    await h.call('POST', '/v1/consent/decode', apiKey, {
      gdpr: 1,
      tcf: purposeOneOnly,
      vendorId: 755,
      purposes: [1, 3, 4],
    })
  ).body as Answer;
  assert.equal(a.decisions.store?.allowed, true);
  assert.equal(a.decisions.personaliseAds?.allowed, false);
  assert.equal(a.decisions.vendor?.allowed, false);
  assert.match(a.decisions.personaliseAds?.reason ?? '', /3|4/);

  const full = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [] });
  const b = (
    await h.call('POST', '/v1/consent/decode', apiKey, {
      gdpr: 1,
      tcf: full,
      vendorId: 755,
      purposes: [1, 3, 4],
    })
  ).body as Answer;
  assert.equal(b.decisions.personaliseAds?.allowed, true);
  assert.equal(b.decisions.vendor?.allowed, false, 'the vendor itself has no consent');

  const v1 = (await h.call('POST', '/v1/consent/decode', apiKey, { gdpr: 1, tcf: TCF_V1_STRING }))
    .body as Answer;
  assert.equal(v1.decisions.store?.allowed, false);
  assert.match(v1.state.errors.join(' '), /v1/i);

  const vendor = await h.call('GET', '/v1/consent/vendors/755', apiKey);
  assert.equal(vendor.status, 200);
  assert.match((vendor.body as { name: string }).name, /Google/);
  assert.equal((await h.call('GET', '/v1/consent/vendors/99999', apiKey)).status, 404);
});
