import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import { buildPrebid } from '../../src/api/prebid-bundle.ts';
import { encodeTc } from '../consent/consent-fixtures.ts';
import { launchChromium } from '../helpers/browser.ts';
import { WITH_VENDOR, ok, seedRules, startWorld, waitFor } from '../helpers/activation-world.ts';
import type { CmpAnswer } from '../helpers/tag-pages.ts';
import { GPT_STANDIN, shopPage } from '../helpers/tag-pages.ts';
import { startSyncPartner } from '../helpers/loopback-servers.ts';
import { pageDestinations, startPublisherSite, startStubBidder } from '../helpers/tag-site.ts';

/**
 * The tag of issue 16 in Debian's headless Chromium, consent first: a CMP that refuses (nothing stored,
 * no cookie, no segments; accepting later starts collection, withdrawing stops it), Global Privacy
 * Control (no segments to the page or the auction), and a page that throws its own errors (the tag adds
 * none). Real servers on loopback: the DMP (in process, its real stores), the shop, a stub bidder.
 */
const NOW = Date.parse('2026-11-20T12:00:00Z');
const PAGE_MS = 15_000;
const ACCEPT: CmpAnswer = { tc: WITH_VENDOR, purposes: [1, 3, 4] };
const REFUSE: CmpAnswer = { tc: encodeTc({ purposeConsents: [], vendorConsents: [] }), purposes: [] };

/** The shop, the DMP with its Prebid and GAM destinations and the rules of pricing_fans (607). */
async function startShop(t: { after(fn: () => Promise<void>): void }) {
  const clock = manualClock(NOW);
  const w = await startWorld(clock);
  t.after(() => w.close());
  const site = await startPublisherSite();
  t.after(() => site.close());
  const bidder = await startStubBidder();
  t.after(() => bidder.close());
  const prebid = await buildPrebid();
  assert.ok(prebid !== undefined, 'prebid.js is a devDependency: run npm ci');
  site.script('/prebid.js', prebid);
  site.script('/gpt.js', GPT_STANDIN);
  ok(await w.call('PUT', `/v1/site-keys/${w.siteKey}`, { origins: [site.origin] }));
  await seedRules(w);
  await pageDestinations(w);
  // an ID-sync partner (GVL vendor 755, consented in ACCEPT)
  const partner = await startSyncPartner('B');
  t.after(() => partner.close());
  ok(
    await w.call('POST', '/v1/partners', {
      code: 'ssp_b',
      name: 'SSP B',
      type: 'redirect',
      vendorId: 755,
      syncUrl: `${partner.base}/sync?gdpr=\${GDPR}&gdpr_consent=\${GDPR_CONSENT_755}&redir=\${REDIRECT}`,
    }),
  );
  const browser = await launchChromium();
  t.after(() => browser.close());
  const dmp = `http://localhost:${new URL(w.base).port}`;
  return { w, site, bidder, browser, dmp, clock, partner };
}

/** A browser context that reaches loopback only, and the DMP requests its pages make (but `/tag.js`). */
async function visitor(browser: Awaited<ReturnType<typeof launchChromium>>, dmp: string) {
  const context = await browser.newContext();
  await context.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, (route) => route.abort());
  const sent: URL[] = [];
  context.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === dmp && url.pathname !== '/tag.js') sent.push(url);
  });
  return { context, sent };
}

async function dmpCookie(context: BrowserContext, dmp: string): Promise<string | undefined> {
  const cookie = (await context.cookies(dmp)).find((c) => c.name === 'dmp_uid');
  return cookie === undefined ? undefined : decodeURIComponent(cookie.value);
}

/** The calls made on the stand-in GPT (`[['setTargeting', 'dmp', ['607']], ['display', 'ad-top']]`). */
function gptLog(tab: Page): Promise<unknown[][]> {
  return tab.evaluate<unknown[][]>('window.gptLog || []');
}

/** Waits until the tag has replaced the page's `opendmp` queue: it has loaded and started. */
async function tagStarted(tab: Page): Promise<void> {
  await tab.waitForFunction('window.opendmp && !Array.isArray(window.opendmp)', undefined, {
    timeout: PAGE_MS,
  });
}

/**
 * Waits until every request the page made so far has been seen: a request of its own, answered, after
 * them (the browser reports requests in the order they are made). Nothing the tag might send later.
 */
async function barrier(tab: Page): Promise<void> {
  await tab.evaluate("fetch('/barrier').then(() => 1, () => 1)");
}

const paths = (sent: URL[]) =>
  sent.map((u) => `${u.pathname}${u.pathname === '/px' ? ` ${u.searchParams.get('e')}` : ''}`);

test('in Chromium: with the CMP refusing, no ID cookie, no event stored, no segments; accepting later starts collection; withdrawing stops it', async (t) => {
  const { w, site, browser, dmp, clock, partner } = await startShop(t);
  site.page('/pricing', shopPage({ dmp, siteKey: w.siteKey, title: 'Pricing', cmp: 'pending', gpt: true }));
  const { context, sent } = await visitor(browser, dmp);
  t.after(() => context.close());
  const tab = await context.newPage();
  await tab.goto(`${site.origin}/pricing`);
  await tagStarted(tab);

  // the visitor has not chosen yet: the tag waits; then refuses, with an event pushed meanwhile
  await tab.evaluate(`opendmp.push(['event', 'cart', { value: 3 }])`);
  await tab.evaluate(`cmpDecide(${JSON.stringify(REFUSE)})`);
  await tab.evaluate(`opendmp.push(['event', 'cart', { value: 4 }])`);
  await barrier(tab);
  assert.deepEqual(paths(sent), [], 'nothing sent to the DMP');
  assert.equal(await dmpCookie(context, dmp), undefined, 'no ID cookie');
  assert.deepEqual(await context.cookies(), [], 'no cookie at all');
  assert.equal(await tab.evaluate('localStorage.length'), 0, 'nothing stored in the page');
  assert.equal(w.app.profiles.tenant(w.tenant).count(), 0, 'no event stored: no profile');
  assert.equal((await gptLog(tab)).filter((c) => c[0] === 'setTargeting').length, 0, 'no segments');

  // the visitor changes their mind: this page's view is sent, the cookie set, the segment on the page
  await tab.evaluate(`cmpDecide(${JSON.stringify(ACCEPT)})`);
  await tab.waitForFunction('(window.gptLog || []).some((c) => c[0] === "setTargeting")', undefined, {
    timeout: PAGE_MS,
  });
  const uid = await dmpCookie(context, dmp);
  assert.ok(uid !== undefined, 'the DMP set its ID cookie');
  assert.deepEqual(
    (await gptLog(tab)).find((c) => c[0] === 'setTargeting'),
    ['setTargeting', 'dmp', ['607']],
  );
  const segments = await w.call('GET', `/v1/profiles/${encodeURIComponent(uid)}/segments`);
  assert.deepEqual((segments.body as { segments: string[] }).segments, ['pricing_fans']);
  assert.ok(!paths(sent).includes('/px cart'), 'the events pushed before the choice were not sent later');
  // the ID sync: the tag asked /cookie_sync, loaded the partner's sync, which came back to /setuid
  const ids = await waitFor(async () => {
    const profile = await w.call('GET', `/v1/profiles/${encodeURIComponent(uid)}`);
    const held = (profile.body as { ids: Record<string, string> }).ids;
    return held.ssp_b === undefined ? undefined : held;
  }, "partner B's ID on the visitor");
  assert.equal(ids.ssp_b, 'B-1');
  assert.deepEqual(
    partner.hits.map((h) => h.id),
    ['B-1'],
    'one sync',
  );

  // events of the page, and a single-page app's route change
  const signedUp = tab.waitForResponse((r) => r.url().includes('e=signup'), { timeout: PAGE_MS });
  await tab.evaluate(`opendmp.push(['event', 'signup', { plan: 'pro', seats: 3 }])`);
  await signedUp;
  const routed = tab.waitForResponse((r) => r.url().includes('%2Fpricing%2Fannual'), { timeout: PAGE_MS });
  await tab.evaluate(`history.pushState({}, '', '/pricing/annual')`);
  await routed;
  const signup = sent.find((u) => u.searchParams.get('e') === 'signup');
  assert.equal(signup?.searchParams.get('s.plan'), 'pro', 'the custom event with its signals');
  assert.equal(signup?.searchParams.get('s.seats'), '3');
  const views = sent
    .filter((u) => u.searchParams.get('e') === 'pageview')
    .map((u) => new URL(u.searchParams.get('url')!).pathname);
  assert.deepEqual(views, ['/pricing', '/pricing/annual'], 'a page view per route');

  // withdrawal, a minute later: our key-values leave the page, and the DMP records the new consent
  clock.advance(60_000);
  const withdrawn = tab.waitForResponse((r) => r.url().includes('e=consent'), { timeout: PAGE_MS });
  await tab.evaluate(`cmpDecide(${JSON.stringify(REFUSE)})`);
  await tab.waitForFunction('(window.gptLog || []).some((c) => c[0] === "clearTargeting")', undefined, {
    timeout: PAGE_MS,
  });
  await withdrawn;
  assert.ok(paths(sent).includes('/px consent'), 'the withdrawal was sent');
  // the DMP applies its log to the profiles just after acknowledging: wait until the withdrawal is there
  const recorded = await waitFor(async () => {
    const profile = await w.call('GET', `/v1/profiles/${encodeURIComponent(uid)}`);
    const consent = (profile.body as { consent?: { tcf?: string } }).consent;
    return consent?.tcf === REFUSE.tc ? consent : undefined;
  }, 'the withdrawal recorded on the profile');
  assert.deepEqual(recorded, { gdpr: 1, tcf: REFUSE.tc });
  const after = await fetch(`${w.base}/v1/page/targeting?site=${w.siteKey}&destination=gam`, {
    headers: { origin: site.origin, cookie: `dmp_uid=${encodeURIComponent(uid)}` },
  });
  const answer = (await after.json()) as { targeting?: Record<string, string[]> };
  assert.deepEqual(answer.targeting ?? {}, {}, 'page targeting answers nothing for the visitor now');
});

test('in Chromium: with Global Privacy Control on, no segments are asked for, set on the page or sent in the auction', async (t) => {
  const { w, site, bidder, browser, dmp, partner } = await startShop(t);
  site.page(
    '/pricing',
    shopPage({ dmp, siteKey: w.siteKey, title: 'Pricing', cmp: ACCEPT, gpt: true, prebid: bidder.base }),
  );
  const { context, sent } = await visitor(browser, dmp);
  t.after(() => context.close());
  // the browser's GPC setting as pages see it (the Sec-GPC header is left out: the tag itself must honour it)
  await context.addInitScript(
    'Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true, configurable: true })',
  );
  const tab = await context.newPage();
  const viewed = tab.waitForResponse((r) => r.url().includes('/px?'), { timeout: PAGE_MS });
  await tab.goto(`${site.origin}/pricing`);
  await viewed;
  await tab.waitForFunction('window.auctionDone === true', undefined, { timeout: PAGE_MS });
  await barrier(tab);

  const uid = await dmpCookie(context, dmp);
  assert.ok(uid !== undefined, 'the page view was sent (consent given)');
  const segments = await w.call('GET', `/v1/profiles/${encodeURIComponent(uid)}/segments`);
  assert.deepEqual(
    (segments.body as { segments: string[] }).segments,
    ['pricing_fans'],
    'the visitor has a segment to send',
  );
  assert.deepEqual(paths(sent), ['/px pageview'], 'no page targeting asked, no ID sync');
  assert.deepEqual(partner.hits, [], 'no partner called');
  assert.equal((await gptLog(tab)).filter((c) => c[0] === 'setTargeting').length, 0, 'no key-values');
  assert.equal(bidder.requests.length, 1);
  const data = bidder.requests[0]!.user?.data ?? [];
  assert.ok(!JSON.stringify(data).includes('607'), `no segment in the bid request: ${JSON.stringify(data)}`);
});

/**
 * A page with errors of its own (a script that throws, a timer that calls what does not exist, a promise
 * nobody catches) and broken neighbours the tag talks to: a CMP that throws, then answers junk later from
 * a timer of its own (where an error of ours would become the page's), a US Privacy API that throws, a GPP
 * API that is not a function, a Prebid queue whose push throws, a GPT whose pubads throws, and junk pushed
 * on our own queue.
 */
const HOSTILE = `<script>
window.__tcfapi = function (command, version, callback) {
  callback(null, false);
  callback('junk', true);
  setTimeout(function () {
    callback(Object.defineProperty({}, 'gdprApplies', { get: function () { throw new Error('junk TC data'); } }), true);
    callback({ eventStatus: 'tcloaded', gdprApplies: true, tcString: ${JSON.stringify(WITH_VENDOR)},
      purpose: { consents: { 1: true, 3: true, 4: true } } }, true);
  }, 0);
  throw new Error('CMP broken before answering');
};
window.__uspapi = function () { throw new Error('USP broken'); };
window.__gpp = 'not a function';
window.pbjs = { que: { push: function () { throw new Error('Prebid queue broken'); } } };
window.googletag = { apiReady: true, cmd: { push: function (fn) { fn(); } },
  pubads: function () { throw new Error('pubads broken'); } };
var loop = { a: 1 }; loop.self = loop;
window.opendmp = [null, 7, 'event', ['event'], ['event', '', {}], ['nope'], ['event', 'loop', loop],
  ['event', 'getter', Object.defineProperty({}, 'x', { enumerable: true, get: function () { throw new Error('getter'); } })]];
</script>
<script>throw new Error('the page’s own error');</script>
<script>setTimeout(function () { notAFunction(); }, 0); Promise.reject(new Error('the page’s own rejection'));</script>`;

test('in Chromium: on a page that throws its own errors, the tag adds none', async (t) => {
  const { w, site, browser, dmp } = await startShop(t);
  const page = (noTag: boolean) =>
    shopPage({ dmp, siteKey: w.siteKey, title: 'Hostile', head: HOSTILE, noTag });
  site.page('/with-tag', page(false));
  site.page('/without-tag', page(true));

  const errorsOf = async (path: string) => {
    const { context, sent } = await visitor(browser, dmp);
    try {
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(`${site.origin}${path}`);
      if (path === '/with-tag') {
        await tagStarted(tab);
        await tab.evaluate(
          `opendmp.push(['event']); opendmp.push(undefined); opendmp.push(['event', 'ok', { a: [1, {}, 'b'] }])`,
        );
        const routed = tab.waitForResponse((r) => r.url().includes('%2Fwith-tag%2Fnext'), {
          timeout: PAGE_MS,
        });
        await tab.evaluate(`history.pushState({}, '', '/with-tag/next')`);
        await routed;
      }
      await barrier(tab);
      return { errors: errors.sort(), sent };
    } finally {
      await context.close();
    }
  };

  const without = await errorsOf('/without-tag');
  assert.ok(without.errors.length >= 3, `the page throws its own errors: ${JSON.stringify(without.errors)}`);
  const withTag = await errorsOf('/with-tag');
  assert.deepEqual(withTag.errors, without.errors, 'the same errors, none added by the tag');
  const events = withTag.sent.filter((u) => u.pathname === '/px').map((u) => u.searchParams.get('e'));
  assert.deepEqual(
    events.sort(),
    ['getter', 'loop', 'ok', 'pageview', 'pageview'],
    'the tag worked through it all',
  );
});

test('in Chromium: where the browser refuses cookies, the tag keeps its own ID in localStorage and sends it as uid', async (t) => {
  const { w, site, browser, dmp } = await startShop(t);
  site.page('/pricing', shopPage({ dmp, siteKey: w.siteKey, title: 'Pricing', cmp: ACCEPT }));
  const { context, sent } = await visitor(browser, dmp);
  t.after(() => context.close());
  // cookies refused, as pages see it
  await context.addInitScript(
    'Object.defineProperty(Navigator.prototype, "cookieEnabled", { get: () => false, configurable: true })',
  );
  const tab = await context.newPage();
  const viewed = tab.waitForResponse((r) => r.url().includes('/px?'), { timeout: PAGE_MS });
  await tab.goto(`${site.origin}/pricing`);
  await viewed;
  const stored = await tab.evaluate<string | null>('localStorage.getItem("opendmp_uid")');
  assert.ok(stored !== null, 'an ID kept in localStorage');
  const again = tab.waitForResponse((r) => r.url().includes('/px?'), { timeout: PAGE_MS });
  await tab.reload();
  await again;
  await barrier(tab);
  const uids = sent.filter((u) => u.pathname === '/px').map((u) => u.searchParams.get('uid'));
  assert.deepEqual(uids, [stored, stored], 'the same ID on every page, sent as uid');
  const profile = await w.call('GET', `/v1/profiles/${encodeURIComponent(stored)}`);
  assert.equal(profile.status, 200, 'the visitor is known by that ID');
  assert.deepEqual(
    paths(sent),
    ['/px pageview', '/px pageview'],
    'no page targeting and no ID sync: the DMP cannot tell this browser',
  );
});
