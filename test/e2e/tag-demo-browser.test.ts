import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { manualClock } from '../../src/core/clock.ts';
import { demoRoutes } from '../../src/api/routes/demo-routes.ts';
import { lazyPrebid } from '../../src/api/prebid-bundle.ts';
import { ensureDemoSite } from '../../src/cli/demo-site.ts';
import { launchChromium } from '../helpers/browser.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const PAGE_MS = 15_000;

/**
 * The demo shop of issue 16 (`npm start` serves it at `/demo/`), as `dmp serve --demo` sets it up (its
 * traits, segments and destinations, then its pages) on a tenant of its own, in Chromium: a newcomer
 * accepts the banner, browses Shoes, then Boots, and sees the segments of what they browsed reach the
 * Prebid auction's bidder and the Ad Manager key-values.
 */
test('in Chromium: the demo shop shows the segments of the sections browsed in the auction and the key-values', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-demo-shop-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const config = loadConfig({ dataDir: dir, logLevel: 'silent', port: 0 }, {});
  const app = await createApp(config, manualClock(NOW));
  t.after(() => app.close());
  const { tenant, siteKey } = await app.catalog.createTenant('demo');
  await ensureDemoSite(app, tenant);
  await ensureDemoSite(app, tenant); // a later start finds everything there
  await app.server.register(demoRoutes(siteKey, lazyPrebid()));
  const base = await app.server.listen({ port: 0, host: '127.0.0.1' });

  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext();
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  const tab = await context.newPage();
  const errors: Error[] = [];
  tab.on('pageerror', (e) => errors.push(e));

  await tab.goto(`${base}/demo/shoes`);
  assert.equal(await tab.isVisible('#banner'), true, 'the consent banner asks first');
  assert.equal(await tab.textContent('#consent'), 'not chosen yet');
  await Promise.all([tab.waitForEvent('load'), tab.click('text=Accept')]); // the page reloads
  await tab.waitForFunction(
    'document.getElementById("adrequest").textContent.startsWith("ad request")',
    undefined,
    { timeout: PAGE_MS },
  );
  assert.match((await tab.textContent('#gam')) ?? '', /^dmp=9001$/, 'Shoes (9001) as a key-value');
  assert.match((await tab.textContent('#bidder')) ?? '', /segments: 9001$/, 'and in the bid request');

  await Promise.all([tab.waitForURL(`${base}/demo/boots`), tab.click('text=Boots')]);
  await tab.waitForFunction(
    'document.getElementById("adrequest").textContent.startsWith("ad request")',
    undefined,
    { timeout: PAGE_MS },
  );
  assert.equal(await tab.isVisible('#banner'), false, 'the choice is remembered');
  assert.match((await tab.textContent('#gam')) ?? '', /^dmp=9001,9002$/, 'Shoes and Boots');
  assert.match((await tab.textContent('#bidder')) ?? '', /segments: 9001, 9002$/);
  assert.deepEqual(errors, [], 'no page errors');
});
