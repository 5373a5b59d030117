import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { WAIT_MS, consoleUser, logInFirstTime } from '../helpers/console-users.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** Screenshots of each page, kept by CI as test artefacts (git-ignored). */
const SHOTS = 'test-artifacts/console';
/** Traits made through the API before the browser starts (one audit line each: more than a page of 50). */
const FILLERS = 45;

/** The little of the page's DOM the test reads inside the browser (the test is compiled without `dom`). */
interface Dom {
  document: { querySelector(selector: string): { value: string } | null };
}

/** Forces a disabled button on (as a user could with the developer tools) and clicks it. */
async function forceClick(tab: Page, name: string): Promise<void> {
  const button = tab.getByRole('button', { name, exact: true });
  await button.evaluate((b) => {
    (b as unknown as { disabled: boolean }).disabled = false;
  });
  await button.click();
}

/**
 * Issue 17's traits and audit pages in Chromium: an editor creates a trait whose rule has a typo, sees the
 * API's error under the Rule field with its line, column and did-you-mean, fixes it, saves, finds it with
 * Search and reopens it; a third-party trait opens read-only; a viewer cannot save (the API's 403 when
 * forced); an editor has no Audit in the nav (the API's 403 when asked anyway); an admin reads the
 * `trait.create` line naming the editor. axe-core finds no serious violation on the three pages.
 */
test('in Chromium: create a trait through a rule error, search it, reopen it; read the audit log as admin', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const ok = (r: { status: number; body: unknown }) => assert.ok(r.status < 300, JSON.stringify(r.body));
  ok(await h.call('POST', '/v1/sources', apiKey, { code: 'partner', name: 'Partner', party: 'third' }));
  ok(
    await h.call('POST', '/v1/onboarding/partner/traits', apiKey, {
      traits: [{ code: 'iab_48', name: 'IAB auto buyers', kind: 'third-party', folder: 'Partner/Auto' }],
    }),
  );
  ok(
    await h.call('POST', '/v1/traits', apiKey, {
      code: 'cart_visitor',
      name: 'Visited the cart',
      rule: 'url.path startsWith "/cart"',
      folder: 'Site/Intent',
    }),
  );
  // enough audit lines before the editor's that the admin needs "Older" to reach the first of them
  for (let i = 0; i < FILLERS; i++)
    ok(
      await h.call('POST', '/v1/traits', apiKey, {
        code: `filler_${i}`,
        name: `Filler ${i}`,
        rule: 'url.path == "/"',
      }),
    );
  const editorPassword = await consoleUser(h, apiKey, 'mia@acme.com', 'editor');
  const viewerPassword = await consoleUser(h, apiKey, 'vic@acme.com', 'viewer');
  const adminPassword = await consoleUser(h, apiKey, 'ada@acme.com', 'admin');

  const { tab, errors } = await openConsoleTab(t, `${h.base}/`, {
    login: { email: 'mia@acme.com', password: editorPassword },
  });
  const nav = tab.getByRole('navigation', { name: 'Console' });
  assert.equal(await nav.getByRole('link', { name: 'Audit' }).count(), 0, 'an editor has no Audit link');

  // a new trait whose rule has a typo: the API's error under the field, with its position and suggestion
  await nav.getByRole('link', { name: 'Traits' }).click();
  await tab.getByRole('link', { name: 'New trait' }).click();
  await tab.getByLabel('Code').fill('pricing_visitor');
  await tab.getByLabel('Name').fill('Visited pricing');
  await tab.getByLabel('Rule').fill('url.pth startsWith "/pricing"');
  await tab.getByLabel('Lifetime (days)').fill('30');
  await tab.getByLabel('Folder').fill('Site/Pricing');
  await tab.getByRole('button', { name: 'Save' }).click();
  const ruleError = tab.locator('#rule-errors li').first();
  await ruleError.waitFor({ timeout: WAIT_MS });
  const problem = await h.call('POST', '/v1/traits', apiKey, {
    code: 'probe',
    name: 'Probe',
    rule: 'url.pth startsWith "/pricing"',
  });
  assert.equal(problem.status, 422);
  const [apiError] = (problem.body as { errors: { line: number; column: number; message: string }[] }).errors;
  assert.ok(apiError, 'the API lists the error');
  assert.match(apiError.message, /did you mean 'url\.path'/);
  assert.equal(
    await ruleError.textContent(),
    `line ${apiError.line}, column ${apiError.column}: ${apiError.message}`,
  );
  assert.equal(await tab.getByLabel('Rule').getAttribute('aria-invalid'), 'true');
  assert.equal((await h.call('GET', '/v1/traits/pricing_visitor', apiKey)).status, 404, 'nothing saved');
  assert.deepEqual(await seriousViolations(tab), [], 'the trait editor with a rule error');
  await tab.screenshot({ path: `${SHOTS}/trait-rule-error.png`, fullPage: true });

  // fixed and saved
  await tab.getByLabel('Rule').fill('url.path startsWith "/pricing"');
  await tab.getByRole('button', { name: 'Save' }).click();
  await tab.getByText(/^Saved at /).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.locator('#rule-errors li').count(), 0);
  const saved = (await h.call('GET', '/v1/traits/pricing_visitor', apiKey)).body as Record<string, unknown>;
  assert.deepEqual(
    [saved.name, saved.rule, saved.lifetimeDays, saved.folder, saved.kind],
    ['Visited pricing', 'url.path startsWith "/pricing"', 30, 'Site/Pricing', 'rule'],
  );

  // the list, filtered by Search (by folder here), then the trait reopened
  await nav.getByRole('link', { name: 'Traits' }).click();
  await tab.getByRole('link', { name: 'cart_visitor' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.locator('tbody tr').count(), 2 + FILLERS + 1);
  await tab.getByLabel('Search').fill('site/pric');
  await tab.locator('tbody tr').nth(1).waitFor({ state: 'detached', timeout: WAIT_MS });
  const row = tab.locator('tbody tr');
  assert.equal(await row.count(), 1);
  assert.deepEqual(await row.getByRole('cell').allTextContents(), [
    'pricing_visitor',
    'Visited pricing',
    'Site/Pricing',
    '30',
    'rule',
    'first-party',
  ]);
  assert.deepEqual(await seriousViolations(tab), [], 'the trait list');
  await tab.screenshot({ path: `${SHOTS}/traits.png`, fullPage: true });
  await tab.getByRole('link', { name: 'pricing_visitor' }).click();
  await tab.getByRole('heading', { name: 'Trait pricing_visitor' }).waitFor({ timeout: WAIT_MS });
  // the editor fills its fields once GET /v1/traits/{code} answers
  await tab.waitForFunction(
    () => (globalThis as unknown as Dom).document.querySelector('textarea')?.value !== '',
    undefined,
    {
      timeout: WAIT_MS,
    },
  );
  assert.equal(await tab.getByLabel('Rule').inputValue(), 'url.path startsWith "/pricing"');
  assert.equal(await tab.getByLabel('Lifetime (days)').inputValue(), '30');

  // a third-party trait: read-only, with a note, and no Save
  await tab.goto(`${h.base}/#/traits/iab_48`);
  await tab.getByText(/This is a third-party trait/).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.getByLabel('Name').inputValue(), 'IAB auto buyers');
  assert.equal(await tab.getByLabel('Name').getAttribute('readonly'), '');
  assert.equal(await tab.getByLabel('Rule').getAttribute('readonly'), '');
  assert.equal(await tab.getByRole('button', { name: 'Save' }).count(), 0);
  assert.deepEqual(await seriousViolations(tab), [], 'a read-only trait');
  await tab.screenshot({ path: `${SHOTS}/trait-third-party.png`, fullPage: true });

  // the editor asks for the audit log anyway: a note, and the API's 403
  await tab.goto(`${h.base}/#/audit`);
  await tab.getByText(/The audit log is for admins/).waitFor({ timeout: WAIT_MS });
  await tab.getByRole('button', { name: 'Ask anyway' }).click();
  await tab.getByText(/lacks the permission 'read_audit'/).waitFor({ timeout: WAIT_MS });
  await tab.getByRole('button', { name: 'Log out' }).click();

  // a viewer: Save disabled with a note; the API's 403 when forced
  await logInFirstTime(tab, 'vic@acme.com', viewerPassword);
  await tab.goto(`${h.base}/#/traits/cart_visitor`);
  await tab.getByText(/may read traits but not save them/).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.getByRole('button', { name: 'Save' }).isDisabled(), true);
  await tab.getByLabel('Name').fill('Renamed by a viewer');
  await forceClick(tab, 'Save');
  await tab.getByText(/lacks the permission 'edit'/).waitFor({ timeout: WAIT_MS });
  const cart = (await h.call('GET', '/v1/traits/cart_visitor', apiKey)).body as { name: string };
  assert.equal(cart.name, 'Visited the cart', 'the viewer changed nothing');
  await tab.getByRole('button', { name: 'Log out' }).click();

  // an admin: Audit in the nav, the trait.create line naming the editor
  await logInFirstTime(tab, 'ada@acme.com', adminPassword);
  await tab.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit' }).click();
  const created = tab
    .getByRole('row')
    .filter({ hasText: 'trait.create' })
    .filter({ hasText: 'pricing_visitor' });
  await created.waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.locator('tbody tr').count(), 50, 'one page of 50 lines, newest first');
  await tab.getByRole('button', { name: 'Older' }).click();
  await tab.getByRole('row').filter({ hasText: 'filler_0' }).waitFor({ timeout: WAIT_MS });
  const cells = await created.getByRole('cell').allTextContents();
  assert.deepEqual(cells.slice(1), ['user:mia@acme.com', 'trait.create', 'trait:pricing_visitor']);
  assert.deepEqual(await seriousViolations(tab), [], 'the audit log');
  await tab.screenshot({ path: `${SHOTS}/audit.png`, fullPage: true });

  assert.deepEqual(errors, [], 'no script errors on any page');
});
