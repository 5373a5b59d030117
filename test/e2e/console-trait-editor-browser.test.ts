import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { WAIT_MS, consoleUser, logInFirstTime } from '../helpers/console-users.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const SHOTS = 'test-artifacts/console';

/** The page views posted: `[tenant, uid, path]`. */
const POSTED: [string, string, string][] = [
  ['acme', 'c-1', '/pricing'],
  ['acme', 'c-1', '/home'],
  ['acme', 'c-2', '/pricing'],
  ['acme', 'c-2', '/pricing/plans'],
  ['acme', 'c-3', '/cart'],
  ['beta', 'c-9', '/pricing'],
  ['beta', 'c-9', '/pricing'],
];

/** Of the posted events of acme (leaving out `deleted` visitors): how many, and how many on /pricing... */
function expected(deleted: string[] = []): { matched: number; scanned: number } {
  const kept = POSTED.filter(([tenant, uid]) => tenant === 'acme' && !deleted.includes(uid));
  return { matched: kept.filter(([, , path]) => path.startsWith('/pricing')).length, scanned: kept.length };
}

/** The editor's sentence for an answer of the API (times as `YYYY-MM-DD HH:MM:SS UTC`). */
async function sentence(h: TestApp, key: string, rule: string): Promise<string> {
  const r = await h.call('POST', '/v1/traits/preview', key, { rule });
  const a = r.body as { matched: number; scanned: number; from: string; to: string };
  const at = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`;
  return `${a.matched} of the last ${a.scanned} events match (from ${at(a.from)} to ${at(a.to)})`;
}

/** The texts of the highlight layer's spans with `cls`. */
const spans = (tab: Page, cls: string) => tab.locator(`pre.rule-highlight span.${cls}`).allTextContents();

/** Types into the Rule field with the keyboard, after clearing it. */
async function typeRule(tab: Page, rule: string): Promise<void> {
  const field = tab.getByLabel('Rule');
  await field.fill('');
  await field.pressSequentially(rule);
}

/**
 * Issue 17's trait editor in Chromium: the rule is coloured as it is typed (keyword, string, field
 * spans in a layer lined up under the textarea), a misspelt path shows the API's error under the
 * field with its did-you-mean and its token marked, and "Matching recent events" counts the posted
 * events the rule matches (never another tenant's), and no longer those of a deleted visitor. A
 * viewer is told the preview needs the analyst role. axe finds no serious violation.
 */
test('in Chromium: the trait editor colours the rule, shows errors under it and previews matching events', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const keys: Record<string, string> = {
    acme: (await h.app.catalog.createTenant('acme')).apiKey,
    beta: (await h.app.catalog.createTenant('beta')).apiKey,
  };
  for (const [tenant, uid, path] of POSTED) {
    const r = await h.call('POST', '/v1/events', keys[tenant], {
      uid,
      url: `https://shop.example.com${path}`,
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
  }
  const acme = keys.acme ?? '';
  const editorPassword = await consoleUser(h, acme, 'mia@acme.com', 'editor');
  const viewerPassword = await consoleUser(h, acme, 'vic@acme.com', 'viewer');

  const { tab, errors } = await openConsoleTab(t, `${h.base}/`, {
    login: { email: 'mia@acme.com', password: editorPassword },
  });
  await tab.goto(`${h.base}/#/traits/new`);
  await tab.getByRole('heading', { name: 'New trait' }).waitFor({ timeout: WAIT_MS });

  // typed: coloured by kind in the layer behind the textarea, which holds the same text where it is
  const rule = 'url.path startsWith "/pricing" and event == "pageview"';
  await typeRule(tab, rule);
  assert.deepEqual(await spans(tab, 'tok-field'), ['url.path', 'event']);
  assert.deepEqual(await spans(tab, 'tok-keyword'), ['and']);
  assert.deepEqual(await spans(tab, 'tok-string'), ['"/pricing"', '"pageview"']);
  assert.deepEqual(await spans(tab, 'tok-function'), ['startsWith']);
  assert.deepEqual(await spans(tab, 'tok-operator'), ['==']);
  const layer = tab.locator('pre.rule-highlight');
  assert.equal(await layer.getAttribute('aria-hidden'), 'true');
  assert.equal(await layer.textContent(), `${rule}\n`);
  assert.deepEqual(await layer.boundingBox(), await tab.getByLabel('Rule').boundingBox(), 'lined up');

  // the preview: acme's posted events on /pricing (beta's are not acme's)
  const preview = tab.getByLabel('Matching recent events');
  const want = expected();
  assert.deepEqual(want, { matched: 3, scanned: 5 });
  const text = await sentence(h, acme, rule);
  assert.ok(text.startsWith(`${want.matched} of the last ${want.scanned} events match (from `), text);
  await tab.getByText(text).waitFor({ timeout: WAIT_MS });
  assert.equal(await preview.textContent(), text);

  // a misspelt path: the API's error under the line with the did-you-mean, the token marked
  await typeRule(tab, 'url.pth startsWith "/pricing"');
  const error = tab.locator('#rule-errors li');
  await error.first().waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await error.allTextContents(), [
    "line 1, column 1: unknown path 'url.pth'; did you mean 'url.path'?",
  ]);
  assert.deepEqual(await spans(tab, 'tok-error'), ['url.pth']);
  assert.equal(await tab.getByLabel('Rule').getAttribute('aria-invalid'), 'true');
  await tab.getByText(/No preview: the rule does not check/).waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await seriousViolations(tab), [], 'the trait editor with a rule error');

  // fixed over two lines with a comment; then visitor c-2 is deleted: its events no longer count
  const fixed = 'url.path startsWith "/pricing" # the pricing pages\n  and event == "pageview"';
  await typeRule(tab, fixed);
  await tab.getByText(await sentence(h, acme, fixed)).waitFor({ timeout: WAIT_MS });
  assert.equal(await error.count(), 0);
  assert.deepEqual(await spans(tab, 'tok-comment'), ['# the pricing pages']);
  assert.deepEqual(await seriousViolations(tab), [], 'the trait editor with a preview');
  await tab.screenshot({ path: `${SHOTS}/trait-editor.png`, fullPage: true });

  assert.equal((await h.call('DELETE', '/v1/profiles/c-2', acme)).status, 200);
  const gone = expected(['c-2']);
  assert.deepEqual(gone, { matched: 1, scanned: 3 });
  await tab.getByLabel('Rule').press('End');
  await tab.getByLabel('Rule').press('Space');
  const after = await sentence(h, acme, `${fixed} `);
  assert.ok(after.startsWith(`${gone.matched} of the last ${gone.scanned} events match`), after);
  await tab.getByText(after).waitFor({ timeout: WAIT_MS });

  // on a tablet a long rule wraps the same way in the layer as in the textarea
  await tab.setViewportSize({ width: 800, height: 1000 });
  const paths = Array.from({ length: 12 }, (_, i) => `"/pricing/plan-${i}"`).join(', ');
  await tab.getByLabel('Rule').press('End');
  await tab.getByLabel('Rule').pressSequentially(`or url.path in (${paths})`);
  const heights = async () => [
    await layer.evaluate((e) => (e as unknown as { scrollHeight: number }).scrollHeight),
    await tab.getByLabel('Rule').evaluate((e) => (e as unknown as { scrollHeight: number }).scrollHeight),
  ];
  const [layerHeight, areaHeight] = await heights();
  assert.equal(layerHeight, areaHeight, 'the same wrapped lines');
  assert.deepEqual(await layer.boundingBox(), await tab.getByLabel('Rule').boundingBox());
  assert.equal((await spans(tab, 'tok-string')).length, 2 + 12);
  await tab.getByText(/^1 of the last 3 events match/).waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await seriousViolations(tab), [], 'the trait editor on a tablet');
  await tab.screenshot({ path: `${SHOTS}/trait-editor-tablet.png`, fullPage: true });
  await tab.setViewportSize({ width: 1280, height: 900 });
  await tab.getByRole('button', { name: 'Log out' }).click();

  // a viewer: coloured, but told the preview needs the analyst role (and no preview asked)
  await logInFirstTime(tab, 'vic@acme.com', viewerPassword);
  let previews = 0;
  tab.on('request', (r) => {
    if (r.url().endsWith('/v1/traits/preview')) previews++;
  });
  await tab.goto(`${h.base}/#/traits/new`);
  await typeRule(tab, rule);
  await tab.getByText('Your role (viewer) may not preview matches: the analyst role and above may.').waitFor({
    timeout: WAIT_MS,
  });
  assert.deepEqual(await spans(tab, 'tok-keyword'), ['and']);
  await tab.waitForTimeout(600);
  assert.equal(previews, 0, 'a viewer asks for no preview');
  assert.deepEqual(await seriousViolations(tab), [], 'the trait editor of a viewer');

  assert.deepEqual(errors, [], 'no script errors');
});
