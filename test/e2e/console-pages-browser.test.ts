import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { WAIT_MS, consoleUser, logInFirstTime } from '../helpers/console-users.ts';
import { fileDestination } from '../helpers/activation-world.ts';
import { CHROME_UA, LONDON_IP } from '../helpers/addresses.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const DAY = 86_400_000;
/** Screenshots of each page at each width, kept by CI as test artefacts (git-ignored). */
const SHOTS = 'test-artifacts/console';
/** A desktop and a tablet held upright (an iPad Air's 820 x 1180 CSS pixels). */
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'tablet', width: 820, height: 1180 },
] as const;

/** Every page of the console's nav and the pages they link to, by hash route. */
const PAGES = [
  ['dashboard', '/'],
  ['segments', '/segments'],
  ['segment-new', '/segments/new'],
  ['segment', '/segments/london_pricing'],
  ['traits', '/traits'],
  ['trait', '/traits/pricing_visitor'],
  ['taxonomy', '/taxonomy'],
  ['onboarding', '/onboarding'],
  ['partners', '/partners'],
  ['destinations', '/destinations'],
  ['destination', '/destinations/exports'],
  ['campaigns', '/campaigns'],
  ['campaign', '/campaigns/spring'],
  ['privacy', '/privacy'],
  ['audit', '/audit'],
] as const;

/** A tenant with something on every page: a trait, segments, visitors, a destination, a campaign, a partner. */
async function seed(h: TestApp, apiKey: string): Promise<void> {
  const ok = (r: { status: number; body: unknown }) => assert.ok(r.status < 300, JSON.stringify(r.body));
  ok(
    await h.call('POST', '/v1/traits', apiKey, {
      code: 'pricing_visitor',
      name: 'Visited pricing',
      rule: 'url.path startsWith "/pricing"',
      folder: 'Site/Intent',
    }),
  );
  const segment = (code: string, name: string, rule: string) =>
    h.call('POST', '/v1/segments', apiKey, { code, name, rule });
  ok(await segment('london_pricing', 'London pricing', 'trait:pricing_visitor and geo.city == "London"'));
  ok(await segment('returning', 'Returning visitors', 'visits >= 2'));
  const events = ['ann', 'bob', 'cat'].flatMap((uid, i) => [
    { uid, ip: LONDON_IP, ua: CHROME_UA, ts: NOW - (i + 2) * DAY, url: 'https://shop.example.com/pricing' },
    { uid, ip: LONDON_IP, ua: CHROME_UA, ts: NOW - DAY, url: 'https://shop.example.com/' },
  ]);
  assert.equal((await h.call('POST', '/v1/events', apiKey, events)).status, 202);
  ok(
    await h.call('POST', '/v1/destinations', apiKey, {
      ...fileDestination('exports', 'csv', 100, 'uid'),
      segments: [{ segment: 'london_pricing', id: '607' }],
    }),
  );
  ok(
    await h.call('POST', '/v1/campaigns', apiKey, {
      code: 'spring',
      name: 'Spring sale',
      segments: ['london_pricing'],
      destinations: ['exports'],
      start: new Date(NOW - DAY).toISOString(),
      end: new Date(NOW + 30 * DAY).toISOString(),
    }),
  );
  ok(
    await h.call('POST', '/v1/partners', apiKey, {
      code: 'dsp',
      name: 'A DSP',
      syncUrl: 'https://sync.dsp.example/match?redir=${REDIRECT}',
      type: 'redirect',
    }),
  );
}

/** Waits until the page has had no API request in flight for a while (every page loads from the API). */
async function settled(tab: Page, inFlight: () => number): Promise<void> {
  const until = Date.now() + WAIT_MS;
  let quietSince = Date.now();
  while (Date.now() < until) {
    if (inFlight() > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 400) return;
    await tab.waitForTimeout(50);
  }
  throw new Error(`the page still had ${inFlight()} API requests in flight after ${WAIT_MS} ms`);
}

/**
 * Issue 17's "made well", page by page: an admin opens every page of the console at 1280 px and on a
 * tablet (820 px); no page throws or logs an error, no API call it makes fails, nothing is wider than the
 * screen (no sideways scrolling), and axe-core finds no serious violation. A screenshot of each page at
 * each width is kept under test-artifacts/console/.
 */
test('in Chromium: every console page at 1280 px and on a tablet, without errors, overflow or serious axe violations', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  await seed(h, apiKey);
  const password = await consoleUser(h, apiKey, 'ada@acme.com', 'admin');

  const browser = await launchChromium();
  t.after(() => browser.close());
  const problems: string[] = [];
  let loggedIn = false;
  const context = await browser.newContext();
  for (const viewport of VIEWPORTS) {
    const tab = await context.newPage();
    await tab.setViewportSize({ width: viewport.width, height: viewport.height });
    let route = '';
    let inFlight = 0;
    tab.on('pageerror', (e) => problems.push(`${viewport.name} ${route}: ${e.message}`));
    tab.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${viewport.name} ${route}: console error ${m.text()}`);
    });
    tab.on('request', (r) => {
      if (r.url().includes('/v1/')) inFlight++;
    });
    tab.on('requestfailed', (r) => {
      if (r.url().includes('/v1/')) inFlight--;
    });
    tab.on('response', (r) => {
      if (!r.url().includes('/v1/')) return;
      inFlight--;
      if (r.status() >= 400) problems.push(`${viewport.name} ${route}: ${r.status()} from ${r.url()}`);
    });
    await tab.goto(`${h.base}/`);
    if (!loggedIn) {
      await logInFirstTime(tab, 'ada@acme.com', password);
      loggedIn = true;
    }
    for (const [name, hash] of PAGES) {
      route = hash;
      await tab.goto(`${h.base}/#${hash}`);
      await tab.locator('main h1').first().waitFor({ timeout: WAIT_MS });
      await settled(tab, () => inFlight);
      const overflow = await tab.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      if (overflow > 0) problems.push(`${viewport.name} ${hash}: ${overflow} px wider than the screen`);
      if (viewport.name === 'desktop')
        for (const v of await seriousViolations(tab)) problems.push(`${hash}: axe ${v}`);
      await tab.screenshot({ path: `${SHOTS}/page-${name}-${viewport.name}.png`, fullPage: true });
    }
    await tab.close();
  }
  assert.deepEqual(problems, []);
});
