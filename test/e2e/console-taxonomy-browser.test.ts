import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { manualClock } from '../../src/core/clock.ts';
import type { TaxonomyView } from '../../src/traits/taxonomy-browse.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { WAIT_MS, consoleUser } from '../helpers/console-users.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** Screenshots of each page, kept by CI as test artefacts (git-ignored). */
const SHOTS = 'test-artifacts/console';

/**
 * Issue 17's taxonomy browser in Chromium: a viewer sees the trait made through the API under its folder
 * Site > Intent (and not another tenant's folder), opens an IAB node with the keyboard, searches "18-20"
 * (one request once typing stops) and finds the node "Demographic | Age Range | 18-20" (ID 3) with the
 * count the API gives, then finds the trait by its code and opens its editor from the link. axe-core
 * finds no serious violation, before and after the search.
 */
test('in Chromium: the tenant’s folders and the IAB taxonomy, searched, a trait opened from its folder', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const other = await h.app.catalog.createTenant('other');
  const trait = async (key: string, body: Record<string, string>) => {
    const made = await h.call('POST', '/v1/traits', key, { rule: 'url.path startsWith "/cart"', ...body });
    assert.equal(made.status, 201, JSON.stringify(made.body));
  };
  await trait(apiKey, { code: 'cart_visitor', name: 'Visited the cart', folder: 'Site/Intent' });
  await trait(apiKey, { code: 'home_visitor', name: 'Home page' });
  await trait(other.apiKey, { code: 'secret_trait', name: 'Not yours', folder: 'Hidden/Folder' });
  const viewerPassword = await consoleUser(h, apiKey, 'vic@acme.com', 'viewer');
  const searched = (await h.call('GET', '/v1/taxonomy?q=18-20', apiKey)).body as TaxonomyView;
  assert.equal(searched.iab.nodes.find((n) => n.match)?.id, '3');

  const login = { email: 'vic@acme.com', password: viewerPassword };
  const { tab, errors } = await openConsoleTab(t, `${h.base}/`, { login });
  const searches: string[] = [];
  tab.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/v1/taxonomy') searches.push(url.searchParams.get('q') ?? '');
  });
  await tab.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Taxonomy' }).click();

  // the viewer's folders: the trait under Site > Intent, the unfiled one apart, no other tenant's folder
  const folders = tab.getByRole('region', { name: 'Your folders' });
  const cart = folders.getByRole('link', { name: 'cart_visitor' });
  await cart.waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await cart.locator('xpath=ancestor::details/summary').allTextContents(), [
    'Site (1 trait)',
    'Intent (1 trait)',
  ]);
  assert.equal(await folders.getByRole('link', { name: 'home_visitor' }).count(), 1);
  assert.equal(await folders.getByText(/Hidden|secret_trait/).count(), 0, "no other tenant's folder");

  // the IAB taxonomy: its 3 top nodes, closed; Enter on a summary opens one and renders its children
  const iab = tab.getByRole('region', { name: 'IAB Audience Taxonomy 1.1' });
  assert.equal(await iab.locator('summary').count(), 3);
  assert.equal(await iab.locator('li').count(), 3, 'closed nodes render no children');
  await iab.locator('summary', { hasText: 'Demographic' }).focus();
  await tab.keyboard.press('Enter');
  await iab.getByText('Demographic | Age Range', { exact: true }).waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await seriousViolations(tab), [], 'the taxonomy browser');
  await tab.screenshot({ path: `${SHOTS}/taxonomy.png`, fullPage: true });

  // a search, typed key by key: asked once typing settles, the match shown with its ID and the count
  const before = searches.length;
  await tab.getByLabel('Search the taxonomy').pressSequentially('18-20', { delay: 20 });
  await tab.getByRole('status').filter({ hasText: '“18-20”' }).waitFor({ timeout: WAIT_MS });
  assert.equal(
    await tab.getByRole('status').textContent(),
    `${searched.matches} ${searched.matches === 1 ? 'match' : 'matches'} for “18-20”.`,
  );
  assert.ok(searches.length - before < 5, `one request per pause, not per key: ${searches.join(', ')}`);
  assert.equal(searches.at(-1), '18-20');
  const node = iab
    .locator('.node')
    .filter({ has: tab.getByText('Demographic | Age Range | 18-20', { exact: true }) });
  await node.waitFor({ timeout: WAIT_MS });
  assert.equal(await node.locator('code').textContent(), '3');
  assert.equal(await node.locator('mark').textContent(), 'Demographic | Age Range | 18-20');
  assert.equal(
    await iab.locator('li').count(),
    searched.iab.nodes.length,
    'only the match and the way down to it',
  );
  await folders.getByText('No folder or trait matches the search.').waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await seriousViolations(tab), [], 'the taxonomy browser, searched');
  await tab.screenshot({ path: `${SHOTS}/taxonomy-search.png`, fullPage: true });

  // the trait by its code, then its editor from the link
  await tab.getByLabel('Search the taxonomy').fill('CART_V');
  await tab.getByRole('status').filter({ hasText: '“CART_V”' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.getByRole('status').textContent(), '1 match for “CART_V”.');
  assert.equal(await iab.getByText('No IAB node matches the search.').count(), 1);
  await folders.getByRole('link', { name: 'cart_visitor' }).click();
  await tab.getByRole('heading', { name: 'Trait cart_visitor' }).waitFor({ timeout: WAIT_MS });
  assert.equal(new URL(tab.url()).hash, '#/traits/cart_visitor');

  assert.deepEqual(errors, [], 'no script errors');
});
