import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { WAIT_MS, consoleUser as user, logInFirstTime } from '../helpers/console-users.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';
import { WITH_VENDOR, fileDestination } from '../helpers/activation-world.ts';
import { bidRequest25 } from '../../src/core/activation/bid-request-fixtures.ts';
import { seedLondonPricing } from '../helpers/london-pricing.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** Screenshots of each page, kept by CI as test artefacts (git-ignored). */
const SHOTS = 'test-artifacts/console';

/** One step of a funnel as the API reports it. */
interface Step {
  step: string;
  count: number;
  lost: number;
}

/** `GET /v1/campaigns/{code}/report`, the fields checked here. */
interface Report {
  destinations: { destination: string; batch: { runs: number }; total: { steps: Step[] } }[];
}

/** The text of the bar for `step` in the funnel chart of `destination`. */
async function barText(tab: Page, destination: string, step: string): Promise<string> {
  const bar = tab.locator(
    `svg[aria-labelledby="funnel-${destination}-title"] g[data-step="${step}"] text.count`,
  );
  return (await bar.textContent()) ?? '';
}

/**
 * Campaigns in Chromium: an editor creates a campaign through the form (an end before the start shows the
 * API's message under "End"), renames it with "Edit", runs it with "Run now" and reads its delivery
 * report: the table's numbers and each destination's funnel chart are those of
 * `GET /v1/campaigns/{code}/report` (a file destination's batch run, where the visitor without a mobile ad
 * ID is lost at hasId, and an openrtb destination's real-time bid). A viewer reads the campaign and its
 * report but has no "New campaign", "Edit", "Delete" or "Run now". axe-core finds no serious violation.
 */
test('in Chromium: an editor creates a campaign, runs it and reads its funnel; a viewer only reads', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const ok = (r: { status: number; body: unknown }) => assert.ok(r.status < 300, JSON.stringify(r.body));
  await seedLondonPricing(h, apiKey, NOW);
  const mapping = [{ segment: 'london_pricing', id: '607' }];
  ok(
    await h.call('POST', '/v1/destinations', apiKey, {
      ...fileDestination('exports', 'csv', 100, 'maid'),
      segments: mapping,
    }),
  );
  const ssp = {
    kind: 'openrtb',
    code: 'ssp',
    name: 'SSP',
    segtax: 4,
    idType: 'uid',
    settings: {},
    restrictions: [],
  };
  ok(
    await h.call('POST', '/v1/destinations', apiKey, {
      ...ssp,
      segments: mapping,
      consent: { vendorId: 755, purposes: [1, 3, 4] },
    }),
  );
  const editorPassword = await user(h, apiKey, 'mia@acme.com', 'editor');
  const viewerPassword = await user(h, apiKey, 'vic@acme.com', 'viewer');

  const { tab, errors } = await openConsoleTab(t, `${h.base}/`, {
    login: { email: 'mia@acme.com', password: editorPassword },
    context: { timezoneId: 'UTC' },
  });

  // the form: an end before the start is the API's message under "End"; then the campaign is created
  await tab.goto(`${h.base}/#/campaigns`);
  await tab.getByText('No campaigns yet.').waitFor({ timeout: WAIT_MS });
  await tab.getByRole('button', { name: 'New campaign' }).click();
  await tab.getByLabel('Code', { exact: true }).fill('xmas');
  await tab.getByLabel('Name', { exact: true }).fill('Christmas');
  await tab.getByLabel('london_pricing: London pricing').check();
  await tab.getByLabel('exports: exports (file)').check();
  await tab.getByLabel('ssp: SSP (openrtb)').check();
  await tab.getByLabel('Start (your time zone)').fill('2026-12-01T00:00');
  await tab.getByLabel('End (your time zone)').fill('2026-11-01T00:00');
  await tab.getByRole('button', { name: 'Create campaign' }).click();
  await tab
    .locator('#end-error', { hasText: 'must be after start (2026-12-01T00:00:00.000Z)' })
    .waitFor({ timeout: WAIT_MS });
  assert.match(
    (await tab.getByLabel('End (your time zone)').getAttribute('aria-describedby')) ?? '',
    /\bend-error\b/,
  );
  assert.equal((await h.call('GET', '/v1/campaigns/xmas', apiKey)).status, 404, 'nothing was created');
  assert.deepEqual(await seriousViolations(tab), [], 'the campaign form with an error');
  await tab.screenshot({ path: `${SHOTS}/campaign-form.png`, fullPage: true });
  await tab.getByLabel('Start (your time zone)').fill('2026-11-01T00:00');
  await tab.getByLabel('End (your time zone)').fill('2026-12-31T00:00');
  await tab.getByRole('button', { name: 'Create campaign' }).click();
  await tab.getByRole('heading', { name: 'Campaign xmas' }).waitFor({ timeout: WAIT_MS });
  const flight = { start: '2026-11-01T00:00:00.000Z', end: '2026-12-31T00:00:00.000Z' };
  const xmas = {
    code: 'xmas',
    name: 'Christmas',
    segments: ['london_pricing'],
    destinations: ['exports', 'ssp'],
    ...flight,
  };
  assert.deepEqual((await h.call('GET', '/v1/campaigns/xmas', apiKey)).body, xmas);

  // "Edit": a new name, and the rest as it was
  await tab.getByRole('button', { name: 'Edit' }).click();
  assert.equal(await tab.getByLabel('Start (your time zone)').inputValue(), '2026-11-01T00:00');
  await tab.getByLabel('Name', { exact: true }).fill('Christmas 2026');
  await tab.getByRole('button', { name: 'Save campaign' }).click();
  await tab.getByText(/^Saved campaign xmas at /).waitFor({ timeout: WAIT_MS });
  assert.deepEqual((await h.call('GET', '/v1/campaigns/xmas', apiKey)).body, {
    ...xmas,
    name: 'Christmas 2026',
  });

  // one real-time bid for ann through ssp, then "Run now": a batch run of exports
  const bid = bidRequest25(WITH_VENDOR);
  ok(
    await h.call('POST', '/v1/openrtb/enrich?destination=ssp', apiKey, {
      ...bid,
      user: { ...bid.user, buyeruid: 'ann-london' },
    }),
  );
  await tab.getByRole('button', { name: 'Run now' }).click();
  await tab
    .locator('#campaign-run-status', { hasText: /exports: Run .* succeeded/ })
    .waitFor({ timeout: WAIT_MS });
  const exportsRow = tab.locator('tr[data-destination="exports"]');
  await exportsRow.locator('td', { hasText: /^1$/ }).first().waitFor({ timeout: WAIT_MS });

  // the report on the page is the API's: the table and each destination's funnel chart
  const report = (await h.call('GET', '/v1/campaigns/xmas/report', apiKey)).body as Report;
  const total = (d: string) => report.destinations.find((x) => x.destination === d)!.total.steps;
  const count = (d: string, step: string) => total(d).find((s) => s.step === step)!.count;
  assert.equal(count('exports', 'eligible'), 3, 'the three Londoners are eligible');
  assert.equal(total('exports').find((s) => s.step === 'hasId')!.lost, 1, 'dan has no mobile ad ID');
  assert.equal(count('ssp', 'sent'), 1, 'ann was sent in the bid');
  for (const d of report.destinations) {
    const cells = await tab.locator(`tr[data-destination="${d.destination}"] td`).allTextContents();
    const want = [
      String(d.batch.runs),
      ...['eligible', 'sent', 'acknowledged'].map((s) => String(count(d.destination, s))),
    ];
    assert.deepEqual(cells.slice(2), want, `the table's row for ${d.destination}`);
    for (const s of d.total.steps)
      assert.match(
        await barText(tab, d.destination, s.step),
        new RegExp(`^${s.count} reached, ${s.lost} lost`),
        `${d.destination} ${s.step}`,
      );
  }
  assert.deepEqual(await seriousViolations(tab), [], 'the campaign page with its report');
  await tab.screenshot({ path: `${SHOTS}/campaign.png`, fullPage: true });
  // on a tablet the page needs no sideways scrolling
  await tab.setViewportSize({ width: 800, height: 1000 });
  assert.ok((await tab.evaluate<number>('document.documentElement.scrollWidth')) <= 800, 'fits 800 px');
  await tab.screenshot({ path: `${SHOTS}/campaign-tablet.png`, fullPage: true });
  await tab.setViewportSize({ width: 1280, height: 900 });
  await tab.getByRole('link', { name: 'Campaigns', exact: true }).click();
  await tab.getByRole('link', { name: 'xmas', exact: true }).waitFor({ timeout: WAIT_MS });
  assert.match(
    (await tab.getByRole('row').filter({ hasText: 'xmas' }).textContent()) ?? '',
    /Christmas 2026.*london_pricing.*exports, ssp/,
  );
  assert.deepEqual(await seriousViolations(tab), [], 'the campaign list');
  await tab.screenshot({ path: `${SHOTS}/campaigns.png`, fullPage: true });
  await tab.getByRole('button', { name: 'Log out' }).click();

  // a viewer reads the campaign and its report, with no New campaign, Edit, Delete or Run now
  await tab.getByRole('button', { name: 'Log in' }).waitFor({ timeout: WAIT_MS });
  await logInFirstTime(tab, 'vic@acme.com', viewerPassword);
  await tab.goto(`${h.base}/#/campaigns`);
  await tab.getByRole('link', { name: 'xmas', exact: true }).click();
  await tab.getByRole('heading', { name: 'Campaign xmas' }).waitFor({ timeout: WAIT_MS });
  await tab.locator('svg[aria-labelledby="funnel-exports-title"]').waitFor({ timeout: WAIT_MS });
  assert.match(await barText(tab, 'exports', 'eligible'), /^3 reached, 0 lost/);
  for (const name of ['Edit', 'Delete', 'Run now', 'New campaign'])
    assert.equal(await tab.getByRole('button', { name }).count(), 0, `a viewer has no ${name}`);
  await tab.goto(`${h.base}/#/campaigns`);
  await tab.getByRole('link', { name: 'xmas', exact: true }).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.getByRole('button', { name: 'New campaign' }).count(), 0);

  assert.deepEqual(errors, [], 'no script errors on any page');
});
