import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { LONDON_IP, MOUNTAIN_VIEW_IP } from '../helpers/addresses.ts';
import { SEED, returningVisitor } from '../helpers/london-pricing.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const PASSWORD = 'a long enough new secret';
/** Screenshots of each page, kept by CI as test artefacts (git-ignored). */
const SHOTS = 'test-artifacts/console';
const WAIT_MS = 15_000;

/** Logs in on the console's page with the labelled fields. */
async function logIn(tab: Page, email: string, password: string): Promise<void> {
  await tab.getByLabel('Email').fill(email);
  await tab.getByLabel('Password', { exact: true }).fill(password);
  await tab.getByRole('button', { name: 'Log in' }).click();
}

/** Waits until the element labelled "Size" says `text`. */
async function sizeSays(tab: Page, text: RegExp): Promise<void> {
  const size = tab.getByLabel('Size');
  // a locator, not waitForFunction: the console's CSP (no eval) would refuse the latter
  await tab.locator('#size', { hasText: text }).waitFor({ timeout: WAIT_MS });
  assert.match((await size.textContent()) ?? '', text);
}

/**
 * Issue 17's console in Chromium: a new user logs in with the one-time password, changes it, builds the
 * seed segment ("returning visitors in London who saw the pricing page in the last 30 days") in the visual
 * mode, sees the same rule in the code view and its size, sees the size change after events for a new
 * London visitor, and saves it; a viewer cannot save. axe-core finds no serious violation on the pages.
 */
test('in Chromium: log in, change the password, build the seed segment visually, watch its size, save; a viewer cannot', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const trait = await h.call('POST', '/v1/traits', apiKey, {
    code: 'pricing_visitor',
    name: 'Visited pricing',
    rule: 'url.path startsWith "/pricing"',
  });
  assert.equal(trait.status, 201, JSON.stringify(trait.body));
  await returningVisitor(h, apiKey, NOW, 'ann-london', LONDON_IP);
  await returningVisitor(h, apiKey, NOW, 'bob-mountain-view', MOUNTAIN_VIEW_IP);
  const made = await h.call('POST', '/v1/users', apiKey, { email: 'mia@acme.com', role: 'editor' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const { password } = made.body as { password: string };

  const shell = await fetch(`${h.base}/`);
  assert.match(shell.headers.get('content-security-policy') ?? '', /script-src 'self'; style-src 'self'/);
  assert.equal((await shell.text()).includes('<script>'), false, 'no inline script');
  assert.equal((await fetch(`${h.base}/console/nothing.js`)).status, 404);

  // the login page; a wrong password shows the server's message under the form
  const { tab, errors } = await openConsoleTab(t, `${h.base}/`);
  await tab.getByRole('button', { name: 'Log in' }).waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await seriousViolations(tab), [], 'the login page');
  assert.deepEqual(await tab.getByRole('main').count(), 1, 'one main landmark');
  await tab.screenshot({ path: `${SHOTS}/login.png`, fullPage: true });
  await logIn(tab, 'mia@acme.com', 'not the password');
  await tab.getByRole('alert').filter({ hasText: /\S/ }).waitFor({ timeout: WAIT_MS });
  assert.notEqual((await tab.getByRole('alert').textContent())?.trim(), '');

  // the one-time password, then the forced change
  await logIn(tab, 'mia@acme.com', password);
  await tab.getByLabel('Current password').fill(password);
  await tab.getByLabel('New password').fill(PASSWORD);
  await tab.screenshot({ path: `${SHOTS}/change-password.png`, fullPage: true });
  await tab.getByRole('button', { name: 'Change password' }).click();
  await tab.getByRole('navigation', { name: 'Console' }).waitFor({ timeout: WAIT_MS });
  await tab.getByRole('heading', { name: 'Dashboard' }).waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await seriousViolations(tab), [], 'the dashboard');
  await tab.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });

  // the seed segment, built in the visual mode
  await tab.getByRole('link', { name: 'New segment' }).first().click();
  await tab.getByLabel('Code').fill('london_pricing');
  await tab.getByLabel('Name').fill('Returning London visitors who saw pricing');
  await tab.getByRole('button', { name: 'Visual' }).click();
  for (let i = 0; i < 3; i++) await tab.getByRole('button', { name: 'Add condition' }).click();
  await tab.getByLabel('Condition 1 kind').selectOption('visits');
  await tab.getByLabel('Condition 1 visits').fill('2');
  await tab.getByLabel('Condition 2 kind').selectOption('city');
  await tab.getByLabel('Condition 2 city').fill('London');
  await tab.getByLabel('Condition 3 trait').fill('pricing_visitor');
  await tab.getByLabel('Condition 3 in the last N days (empty: ever)').fill('30');
  await sizeSays(tab, /^1 profile, computed at /);
  assert.deepEqual(await seriousViolations(tab), [], 'the segment editor, visual mode');
  await tab.screenshot({ path: `${SHOTS}/segment-visual.png`, fullPage: true });

  // the same rule in the code view, and its size
  await tab.getByRole('button', { name: 'Code', exact: true }).click();
  assert.equal(await tab.getByLabel('Rule').inputValue(), SEED);
  await sizeSays(tab, /^1 profile, computed at /);
  assert.deepEqual(await seriousViolations(tab), [], 'the segment editor, code view');
  await tab.screenshot({ path: `${SHOTS}/segment-code.png`, fullPage: true });

  // a new London visitor: the size grows
  await returningVisitor(h, apiKey, NOW, 'cat-london', LONDON_IP);
  await tab.getByRole('button', { name: 'Refresh size' }).click();
  await sizeSays(tab, /^2 profiles, computed at /);

  // an error in the code view shows under the field, then the rule is saved
  await tab.getByLabel('Rule').fill(`${SEED} and`);
  await tab.locator('#rule-errors li').first().waitFor({ timeout: WAIT_MS });
  await tab.getByLabel('Rule').fill(SEED);
  await sizeSays(tab, /^2 profiles/);
  await tab.getByRole('button', { name: 'Save' }).click();
  await tab.getByText(/^Saved at /).waitFor({ timeout: WAIT_MS });
  const saved = await h.call('GET', '/v1/segments/london_pricing', apiKey);
  assert.equal((saved.body as { rule: string }).rule, SEED);

  // the list links to the editor, which reopens the saved rule in the visual mode
  await tab.getByRole('link', { name: 'Segments', exact: true }).click();
  await tab.getByRole('link', { name: 'london_pricing' }).waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await seriousViolations(tab), [], 'the segment list');
  await tab.screenshot({ path: `${SHOTS}/segment-list.png`, fullPage: true });
  await tab.getByRole('link', { name: 'london_pricing' }).click();
  await sizeSays(tab, /^2 profiles, computed at /); // the saved rule is loaded and sized
  await tab.getByRole('button', { name: 'Visual' }).click();
  assert.equal(await tab.getByLabel('Condition 2 city').inputValue(), 'London');
  await tab.screenshot({ path: `${SHOTS}/segment-reopened.png`, fullPage: true });
  await tab.getByRole('button', { name: 'Log out' }).click();
  await tab.getByRole('button', { name: 'Log in' }).waitFor({ timeout: WAIT_MS });

  // a viewer sees Save disabled with a note, and the API's 403 if it is clicked anyway
  const viewer = await h.call('POST', '/v1/users', apiKey, { email: 'vic@acme.com', role: 'viewer' });
  await logIn(tab, 'vic@acme.com', (viewer.body as { password: string }).password);
  await tab.getByLabel('Current password').fill((viewer.body as { password: string }).password);
  await tab.getByLabel('New password').fill(PASSWORD);
  await tab.getByRole('button', { name: 'Change password' }).click();
  await tab.getByRole('navigation', { name: 'Console' }).waitFor({ timeout: WAIT_MS });
  await tab.goto(`${h.base}/#/segments/london_pricing`);
  const save = tab.getByRole('button', { name: 'Save' });
  await save.waitFor({ timeout: WAIT_MS });
  assert.equal(await save.isDisabled(), true);
  await tab.getByText(/may read segments but not save them/).waitFor({ timeout: WAIT_MS });
  await sizeSays(tab, /^no size: your role 'viewer' lacks the permission 'compute'/);
  await tab.screenshot({ path: `${SHOTS}/segment-viewer.png`, fullPage: true });
  await save.evaluate((button) => {
    (button as unknown as { disabled: boolean }).disabled = false;
  });
  await save.click();
  await tab.getByText(/lacks the permission 'edit'/).waitFor({ timeout: WAIT_MS });
  assert.equal(
    ((await h.call('GET', '/v1/segments/london_pricing', apiKey)).body as { rule: string }).rule,
    SEED,
  );

  assert.deepEqual(errors, [], 'no script errors on any page');
});
