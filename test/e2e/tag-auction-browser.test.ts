import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Request } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import { buildPrebid } from '../../src/api/prebid-bundle.ts';
import { launchChromium } from '../helpers/browser.ts';
import { WITH_VENDOR, ok, seedRules, startWorld } from '../helpers/activation-world.ts';
import { GPT_STANDIN, shopPage } from '../helpers/tag-pages.ts';
import { pageDestinations, startPublisherSite, startStubBidder } from '../helpers/tag-site.ts';

/**
 * The tag of issue 16 in Debian's headless Chromium, with the real Prebid.js 11 from npm (bundled by
 * esbuild, src/api/prebid-bundle.ts) and a stand-in GPT: a visitor who consents views /pricing, qualifies
 * for pricing_fans (607), and the same page's auction and ad server carry the segment.
 *
 * Nothing is left to chance: Prebid.js and GPT are held by the page's server, and the DMP's targeting
 * answer by the browser (a route), until the test releases them in the order that shows each guarantee:
 * - Prebid.js runs its queue, the page's `requestBids` included, while the targeting answer is still held:
 *   only the tag's `requestBids` hook (the auction delay) can get the segment into that auction;
 * - GPT loads after the answer and runs the page's `display`: the tag's key-values, queued ahead of the
 *   page's commands, come first.
 */
const NOW = Date.parse('2026-11-20T12:00:00Z');
const PAGE_MS = 15_000;

/** Only loopback: Prebid.js must not reach anything outside the test. */
async function loopbackOnly(context: BrowserContext): Promise<void> {
  await context.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, (route) => route.abort());
}

test('in Chromium: a real Prebid.js auction carries the visitor’s segments in user.data with segtax, and GAM gets the key-values before display', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  const site = await startPublisherSite();
  t.after(() => site.close());
  const bidder = await startStubBidder();
  t.after(() => bidder.close());
  const prebid = await buildPrebid();
  assert.ok(prebid !== undefined, 'prebid.js is a devDependency: run npm ci');
  site.script('/prebid.js', prebid);
  site.script('/gpt.js', GPT_STANDIN);
  const dmp = `http://localhost:${new URL(w.base).port}`;
  ok(await w.call('PUT', `/v1/site-keys/${w.siteKey}`, { origins: [site.origin] }));
  await seedRules(w); // pricing_fans: a page view of /pricing
  await pageDestinations(w);
  site.page(
    '/pricing',
    shopPage({
      dmp,
      siteKey: w.siteKey,
      title: 'Pricing',
      cmp: { tc: WITH_VENDOR, purposes: [1, 3, 4] },
      tagData: { 'auction-delay': '10000' },
      gpt: true,
      prebid: bidder.base,
    }),
  );
  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext();
  await loopbackOnly(context);
  const tab = await context.newPage();
  const errors: Error[] = [];
  tab.on('pageerror', (e) => errors.push(e));

  const releasePrebid = site.hold('/prebid.js');
  const releaseGpt = site.hold('/gpt.js');
  let releaseTargeting = (): void => undefined;
  const targetingHeld = new Promise<void>((resolve) => (releaseTargeting = resolve));
  const asked: Request[] = [];
  await tab.route(/\/v1\/page\/targeting/, async (route) => {
    asked.push(route.request());
    await targetingHeld;
    await route.continue();
  });

  const askedOnce = tab.waitForRequest(/\/v1\/page\/targeting/, { timeout: PAGE_MS });
  await tab.goto(`${site.origin}/pricing`, { waitUntil: 'domcontentloaded' });
  // the tag ran: it sent the page view and, once stored, asked for the targeting (held)
  await askedOnce;
  releasePrebid();
  await tab.waitForFunction('window.pbjs && window.pbjs.libLoaded === true', undefined, { timeout: PAGE_MS });
  assert.equal(bidder.requests.length, 0, 'the auction waits for the segments (the tag holds it)');
  releaseTargeting();
  await tab.waitForFunction('window.auctionDone === true', undefined, { timeout: PAGE_MS });

  assert.equal(bidder.requests.length, 1, 'one auction, one request to the bidder');
  const data = bidder.requests[0]!.user?.data ?? [];
  const ours = data.find((d) => d.segment?.some((s) => s.id === '607'));
  assert.ok(
    ours !== undefined,
    `the bid request carries pricing_fans (607) in user.data: ${JSON.stringify(data)}`,
  );
  assert.equal(ours.ext?.segtax, 4, 'with the destination’s segtax');
  assert.deepEqual(
    asked.map((r) => new URL(r.url()).searchParams.get('destination')).sort(),
    ['gam', 'prebid'],
    'the tag asked for both destinations',
  );
  const config = await tab.evaluate<{ site?: { name?: string } }>('pbjs.getConfig("ortb2")');
  assert.equal(config.site?.name, 'shop', 'the page’s own ortb2 is kept');

  releaseGpt();
  await tab.waitForFunction('(window.gptLog || []).some((c) => c[0] === "display")', undefined, {
    timeout: PAGE_MS,
  });
  const log = await tab.evaluate<[string, ...unknown[]][]>('window.gptLog');
  const set = log.findIndex((c) => c[0] === 'setTargeting' && c[1] === 'dmp');
  const display = log.findIndex((c) => c[0] === 'display');
  assert.ok(set !== -1, `GAM got our key-values: ${JSON.stringify(log)}`);
  assert.deepEqual(log[set], ['setTargeting', 'dmp', ['607']]);
  assert.ok(set < display, `before display: ${JSON.stringify(log)}`);
  assert.deepEqual(errors, [], 'no page errors');
});
