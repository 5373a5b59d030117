import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import type { DashboardAnswer } from '../../src/governance/dashboard.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { WAIT_MS, consoleUser, logInFirstTime } from '../helpers/console-users.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';
import { userKey } from '../helpers/user-keys.ts';
import { postSegments } from '../helpers/post-segments.ts';

const NOW = Date.parse('2026-12-07T10:00:00Z');
/** Screenshots of each page, kept by CI as test artefacts (git-ignored). */
const SHOTS = 'test-artifacts/console';
/** Segment saves by the editor: more than one page (50) of her segment lines. */
const SAVES = 52;

interface AuditLine {
  actor: string;
  action: string;
  target: string;
}

function ok(r: { status: number; body: unknown }): void {
  assert.ok(r.status < 300, JSON.stringify(r.body));
}

/** `n` events of visitor `prefix-0` .. `prefix-(n/2 - 1)`, two each, the first of each on /pricing. */
function events(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    uid: `${prefix}-${Math.floor(i / 2)}`,
    url: `https://shop.example.com/${i % 2 === 0 ? 'pricing' : 'cart'}`,
  }));
}

/** The cells of each body row of the table with this caption. */
async function rowsOf(tab: Page, caption: RegExp): Promise<string[][]> {
  const rows = tab
    .locator('table')
    .filter({ has: tab.locator('caption', { hasText: caption }) })
    .locator('tbody tr');
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++)
    out.push(await rows.nth(i).getByRole('cell').allTextContents());
  return out;
}

async function seed(h: TestApp, apiKey: string): Promise<string> {
  ok(
    await h.call('POST', '/v1/traits', apiKey, {
      code: 'pricing',
      name: 'Pricing',
      rule: 'url.path startsWith "/pricing"',
    }),
  );
  await postSegments(h, apiKey, [
    ['visitors', 'All visitors', 'visits >= 1'],
    ['pricing_fans', 'Pricing fans', 'trait:pricing'],
    ['nobody', 'Nobody yet', 'pageviews >= 50'],
  ]);
  ok(await h.call('POST', '/v1/events', apiKey, events('v', 28)));
  const mia = await userKey(h, apiKey, 'mia@acme.com', 'editor');
  ok(
    await h.call('POST', '/v1/segments', mia, {
      code: 'carts',
      name: 'Cart visitors',
      rule: 'pageviews >= 2',
    }),
  );
  for (let i = 0; i < SAVES; i++)
    ok(await h.call('PATCH', '/v1/segments/carts', mia, { name: `Cart visitors ${i}` }));
  return mia;
}

/**
 * Issue 17's dashboard and audit log in Chromium. The dashboard shows what `GET /v1/dashboard` answers:
 * events per second (refreshed while open: events posted meanwhile show within one refresh), profiles,
 * the top segments with their sizes, and the latest changes naming the editor who saved; a viewer sees
 * why there are no sizes. The admin's audit log is newest first; filtered by user and action it pages
 * back with "Older" to the editor's first line. axe finds no serious violation; screenshots are kept.
 */
test('in Chromium: the dashboard matches the API and refreshes; the admin filters the audit log and pages older', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  await seed(h, apiKey);
  const adminPassword = await consoleUser(h, apiKey, 'ada@acme.com', 'admin');
  const viewerPassword = await consoleUser(h, apiKey, 'vic@acme.com', 'viewer');

  const { tab, errors } = await openConsoleTab(t, `${h.base}/`, {
    login: { email: 'ada@acme.com', password: adminPassword },
  });

  // the dashboard: every number as the API answers it
  const api = (await h.call('GET', '/v1/dashboard', apiKey)).body as DashboardAnswer;
  assert.equal(api.eventsLastMinute, 28);
  assert.equal(api.profiles, 14);
  await tab.getByRole('heading', { name: 'Top segments' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.locator('#events-per-second').textContent(), String(api.eventsPerSecond));
  assert.equal(await tab.locator('#profiles').textContent(), String(api.profiles));
  assert.deepEqual(
    await rowsOf(tab, /largest of 4 segments/),
    api.topSegments.segments.map((s) => [s.name, s.code, s.size.toLocaleString('en')]),
  );
  assert.deepEqual(
    api.topSegments.segments.map((s) => [s.code, s.size]),
    [
      ['carts', 14],
      ['pricing_fans', 14],
      ['visitors', 14],
      ['nobody', 0],
    ],
  );
  const changes = await rowsOf(tab, /latest changes/);
  assert.deepEqual(
    changes.map((cells) => cells.slice(1)),
    api.recentChanges.map((c) => [c.user, c.action, c.object]),
  );
  assert.deepEqual(changes[0]?.slice(1), ['mia@acme.com', 'segment.update', 'carts'], 'the editor who saved');
  assert.deepEqual(await seriousViolations(tab), [], 'the dashboard');
  await tab.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });

  // events posted while the dashboard is open show at its next refresh (every 5 s)
  ok(await h.call('POST', '/v1/events', apiKey, events('w', 32)));
  const after = (await h.call('GET', '/v1/dashboard', apiKey)).body as DashboardAnswer;
  assert.equal(after.eventsLastMinute, 60);
  await tab.waitForFunction(
    (want) =>
      (
        globalThis as unknown as { document: { getElementById(id: string): { textContent: string } | null } }
      ).document.getElementById('events-per-second')?.textContent === want,
    String(after.eventsPerSecond),
    { timeout: 12_000 },
  );
  assert.equal(await tab.locator('#profiles').textContent(), String(after.profiles));

  // the audit log: newest first, the latest line on top
  await tab.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit' }).click();
  await tab.locator('caption', { hasText: 'newest first' }).waitFor({ timeout: WAIT_MS });
  const newest = (
    (await h.call('GET', '/v1/audit?order=desc&limit=50', apiKey)).body as { entries: AuditLine[] }
  ).entries;
  const shown = await rowsOf(tab, /newest first/);
  assert.deepEqual(
    shown.map((cells) => cells.slice(1)),
    newest.map((e) => [e.actor, e.action, e.target]),
  );

  // filtered by user and action: a page of 50 of the editor's segment lines, then "Older" for the rest
  await tab.getByLabel('User').fill('mia@acme.com');
  await tab.getByLabel('Action').fill('segment');
  await tab.getByRole('button', { name: 'Filter' }).click();
  await tab.locator('caption', { hasText: '(filtered)' }).waitFor({ timeout: WAIT_MS });
  const hers = (
    (await h.call('GET', '/v1/audit?order=desc&limit=1000&actor=mia@acme.com&action=segment.*', apiKey))
      .body as {
      entries: AuditLine[];
    }
  ).entries;
  assert.equal(hers.length, SAVES + 1);
  const firstPage = await rowsOf(tab, /filtered/);
  assert.equal(firstPage.length, 50);
  assert.deepEqual(
    firstPage.map((cells) => cells.slice(1)),
    hers.slice(0, 50).map((e) => [e.actor, e.action, e.target]),
  );
  await tab.getByRole('button', { name: 'Older' }).click();
  await tab.locator('tbody tr').nth(SAVES).waitFor({ timeout: WAIT_MS });
  const all = await rowsOf(tab, /filtered/);
  assert.deepEqual(
    all.map((cells) => cells.slice(1)),
    hers.map((e) => [e.actor, e.action, e.target]),
  );
  assert.deepEqual(
    all.at(-1)?.slice(2),
    ['segment.create', 'segment:carts'],
    "the editor's first line, last",
  );
  assert.equal(await tab.getByRole('button', { name: 'Older' }).count(), 0, 'nothing older');
  assert.deepEqual(await seriousViolations(tab), [], 'the audit log, filtered');
  await tab.screenshot({ path: `${SHOTS}/audit.png`, fullPage: true });

  // a day with no line: the note, no table
  await tab.getByLabel('To').fill('2020-01-01');
  await tab.getByRole('button', { name: 'Filter' }).click();
  await tab.getByText('No line of the audit log matches these filters.').waitFor({ timeout: WAIT_MS });
  await tab.getByRole('button', { name: 'Log out' }).click();

  // a viewer: the figures, and why there are no sizes
  await logInFirstTime(tab, 'vic@acme.com', viewerPassword);
  await tab.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Dashboard' }).click();
  await tab.getByText(/no sizes: segment sizes need the permission 'compute'/).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.locator('#profiles').textContent(), String(after.profiles));
  assert.equal(await tab.locator('svg[role="img"]').count(), 0, 'no chart without sizes');

  assert.deepEqual(errors, [], 'no script errors on any page');
});
