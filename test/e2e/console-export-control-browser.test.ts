import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { WAIT_MS, consoleUser } from '../helpers/console-users.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';
import { fileDestination } from '../helpers/activation-world.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const SHOTS = 'test-artifacts/console';

/**
 * Export controls in the console: a CRM data source labelled `no-offsite-targeting` feeds a trait, a
 * segment uses it, and an editor tries to send that segment to a file destination (off-site targeting).
 * The console shows the API's refusal (which label of which source forbids it) under the Send button,
 * and the destination's mapping is left as it was; a segment of first-party data goes to it.
 */
test('in Chromium: a segment whose data source forbids off-site targeting cannot be sent to a file destination', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const ok = (r: { status: number; body: unknown }) => assert.ok(r.status < 300, JSON.stringify(r.body));
  ok(
    await h.call('POST', '/v1/sources', apiKey, {
      code: 'crm',
      name: 'CRM',
      party: 'second',
      labels: ['no-offsite-targeting'],
    }),
  );
  ok(
    await h.call('POST', '/v1/traits', apiKey, {
      code: 'vip',
      name: 'VIP in the CRM',
      rule: 'signals.tier == "vip"',
      source: 'crm',
    }),
  );
  ok(await h.call('POST', '/v1/traits', apiKey, { code: 'home', name: 'Home', rule: 'url.path == "/"' }));
  ok(await h.call('POST', '/v1/segments', apiKey, { code: 'vips', name: 'VIPs', rule: 'trait:vip' }));
  ok(await h.call('POST', '/v1/segments', apiKey, { code: 'homers', name: 'Home', rule: 'trait:home' }));
  ok(
    await h.call('POST', '/v1/destinations', apiKey, {
      ...fileDestination('exports', 'csv', 100, 'uid'),
      segments: [],
    }),
  );
  const password = await consoleUser(h, apiKey, 'mia@acme.com', 'editor');

  const { tab, errors } = await openConsoleTab(t, `${h.base}/`, {
    login: { email: 'mia@acme.com', password: password },
  });

  await tab.goto(`${h.base}/#/segments/vips`);
  await tab.getByLabel('Segment ID at the destination').fill('vip-1');
  await tab.getByRole('button', { name: 'Send', exact: true }).click();
  const refusal = tab.getByRole('alert').filter({ hasText: "segment 'vips' may not go to exports" });
  await refusal.waitFor({ timeout: WAIT_MS });
  assert.match((await refusal.textContent()) ?? '', /no-offsite-targeting/);
  assert.match((await refusal.textContent()) ?? '', /crm/);
  const after = (await h.call('GET', '/v1/destinations/exports', apiKey)).body as { segments: unknown[] };
  assert.deepEqual(after.segments, [], 'the refused mapping was not saved');
  assert.deepEqual(await seriousViolations(tab), []);
  await tab.screenshot({ path: `${SHOTS}/segment-export-control.png`, fullPage: true });

  // first-party data goes
  await tab.goto(`${h.base}/#/segments/homers`);
  await tab.getByLabel('Segment ID at the destination').fill('home-1');
  await tab.getByRole('button', { name: 'Send', exact: true }).click();
  await tab.getByText('Destination exports now sends homers as ID home-1.').waitFor({ timeout: WAIT_MS });
  const sent = (await h.call('GET', '/v1/destinations/exports', apiKey)).body as { segments: unknown[] };
  assert.deepEqual(sent.segments, [{ segment: 'homers', id: 'home-1' }]);
  assert.deepEqual(errors, []);
});
