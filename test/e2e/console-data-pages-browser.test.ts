import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { WAIT_MS, consoleUser, logInFirstTime } from '../helpers/console-users.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** Screenshots of each page, kept by CI as test artefacts (git-ignored). */
const SHOTS = 'test-artifacts/console';
/** Three good rows, then an empty ID (row 5) and an unknown trait (row 6); the header is row 1. */
const CSV = ['id,traits', 'ann,vip', 'bob,vip|churn_risk', 'cat,churn_risk', ',vip', 'dan,nope', ''].join(
  '\n',
);

/** A job as the API reports it (the fields the test reads). */
interface Job {
  job: string;
  status: string;
  rows: { read: number; accepted: number; rejected: number };
  errors: { row: number; column: string; message: string }[];
}

/** A match rate as the API answers it. */
interface Rate {
  matched: number;
  profiles: number;
  rate: number;
}

/** Fails with the body when a setup call did not succeed. */
function ok(r: { status: number; body: unknown }): void {
  assert.ok(r.status < 300, JSON.stringify(r.body));
}

/** The `crm` source with the onboarded traits `vip` and `churn_risk`, and the partner `ssp_a`. */
async function world(h: TestApp, apiKey: string): Promise<void> {
  ok(await h.call('POST', '/v1/sources', apiKey, { code: 'crm', name: 'CRM', party: 'first' }));
  const traits = [
    { code: 'vip', name: 'VIP customer' },
    { code: 'churn_risk', name: 'Churn risk' },
  ];
  ok(await h.call('POST', '/v1/onboarding/crm/traits', apiKey, { traits }));
  const partner = {
    code: 'ssp_a',
    name: 'SSP A',
    type: 'redirect',
    vendorId: 755,
    syncUrl: 'https://ssp-a.example/sync?redir=${REDIRECT}',
  };
  ok(await h.call('POST', '/v1/partners', apiKey, partner));
  // two visitors from the site, one of whom the partner has synced
  const page = (uid: string, ids?: Record<string, string>) => ({
    uid,
    url: 'https://shop.example.com/',
    ts: NOW - 60_000,
    ...(ids === undefined ? {} : { ids }),
  });
  ok(await h.call('POST', '/v1/events', apiKey, [page('eve', { ssp_a: 'A-eve' }), page('fay')]));
}

/** The value and max of a `<progress>` found by its label. */
async function progressOf(tab: Page, label: string): Promise<[string | null, string | null]> {
  const bar = tab.getByLabel(label, { exact: true });
  return [await bar.getAttribute('value'), await bar.getAttribute('max')];
}

/**
 * Issue 17's onboarding and partners pages in Chromium: an editor uploads a CSV of three good rows and two
 * bad ones, sees the upload's progress reach the file's size, the job reach done with 3 applied and the
 * two refused rows by row number with the API's messages, and the job in the list; the profiles hold the
 * traits afterwards (through the API). The partners page shows ssp_a's match rate as the API computes
 * it; adding a partner with a bad sync URL shows the API's error under the Sync URL field, then adds it.
 * An editor is told privacy requests need the admin role. A viewer sees the jobs but no upload form, and
 * no match rates nor partner form. axe-core finds no serious violation on any of the pages.
 */
test('in Chromium: upload a CSV and read its row errors; partners and match rates; what a viewer sees', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  await world(h, apiKey);
  const editorPassword = await consoleUser(h, apiKey, 'mia@acme.com', 'editor');
  const viewerPassword = await consoleUser(h, apiKey, 'vic@acme.com', 'viewer');

  const { tab, errors } = await openConsoleTab(t, `${h.base}/`, {
    login: { email: 'mia@acme.com', password: editorPassword },
  });

  // onboarding: the editor uploads the file to the crm source
  await tab.getByRole('link', { name: 'Onboarding', exact: true }).click();
  await tab.getByText('No onboarding jobs yet.').waitFor({ timeout: WAIT_MS });
  await tab.getByLabel('Data source').selectOption('crm');
  // a file whose header the API cannot read: its 422 says why, and no job is made
  await tab.getByLabel('File', { exact: true }).setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('uid,traits\nann,vip\n'),
  });
  await tab.getByRole('button', { name: 'Upload', exact: true }).click();
  await tab
    .getByRole('alert')
    .filter({ hasText: "The file was not taken: unknown column 'uid'" })
    .waitFor({ timeout: WAIT_MS });
  await tab.getByLabel('File', { exact: true }).setInputFiles({
    name: 'crm.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV),
  });
  await tab.getByRole('button', { name: 'Upload', exact: true }).click();
  await tab.locator('#job-status', { hasText: /^Done: succeeded\./ }).waitFor({ timeout: WAIT_MS });
  const size = String(Buffer.byteLength(CSV));
  assert.deepEqual(await progressOf(tab, 'Upload progress'), [size, size], 'every byte sent');
  const { jobs } = (await h.call('GET', '/v1/onboarding/jobs', apiKey)).body as { jobs: Job[] };
  assert.equal(jobs.length, 1, 'one job, made by the upload');
  const job = jobs[0]!;
  assert.equal(job.status, 'succeeded');
  assert.deepEqual(job.rows, { read: 5, accepted: 3, rejected: 2, optedOut: 0 });
  const [done, max] = await progressOf(tab, 'Job progress');
  assert.equal(done, max, 'the job went through the whole file');
  assert.match(
    (await tab.locator('#job-status').textContent()) ?? '',
    /3 rows applied, 2 refused, 0 skipped as opted out \(5 read\)/,
  );
  assert.deepEqual(
    job.errors.map((e) => [e.row, e.column]),
    [
      [5, 'id'],
      [6, 'traits'],
    ],
  );
  for (const e of job.errors) {
    const cells = await tab
      .getByRole('row')
      .filter({ has: tab.getByRole('rowheader', { name: String(e.row), exact: true }) })
      .getByRole('cell')
      .allTextContents();
    assert.deepEqual(cells.slice(0, 2), [e.column, e.message], `row ${e.row}`);
  }
  const listed = await tab
    .getByRole('row')
    .filter({ has: tab.getByRole('button', { name: job.job.slice(0, 8), exact: true }) })
    .getByRole('cell')
    .allTextContents();
  assert.deepEqual([...listed.slice(1, 4), ...listed.slice(5)], ['crm', 'delta', 'succeeded', '3', '2']);
  // the good rows' profiles hold their traits; the refused rows made none
  const traitsOf = async (uid: string) => {
    const r = await h.call('GET', `/v1/profiles/${uid}`, apiKey);
    return r.status === 404
      ? null
      : (r.body as { traits: { code: string }[] }).traits.map((x) => x.code).sort();
  };
  assert.deepEqual(await traitsOf('ann'), ['vip']);
  assert.deepEqual(await traitsOf('bob'), ['churn_risk', 'vip']);
  assert.deepEqual(await traitsOf('cat'), ['churn_risk']);
  assert.equal(await traitsOf('dan'), null, 'the row with an unknown trait is refused whole');
  assert.deepEqual(await seriousViolations(tab), [], 'the onboarding page with a finished job');
  await tab.screenshot({ path: `${SHOTS}/onboarding.png`, fullPage: true });

  // partners: ssp_a's match rate as the API computes it (eve of five profiles holds its ID)
  await tab.getByRole('link', { name: 'Partners', exact: true }).click();
  const rate = (await h.call('GET', '/v1/partners/ssp_a/match-rate', apiKey)).body as Rate;
  assert.deepEqual([rate.matched, rate.profiles], [1, 5]);
  const cell = tab.locator('.match-rate[data-partner="ssp_a"]');
  await cell.waitFor({ timeout: WAIT_MS });
  const percent = `${(rate.rate * 100).toFixed(1)}%`;
  assert.equal(percent, '20.0%');
  assert.equal(await cell.locator('.rate').textContent(), percent);
  assert.match((await cell.textContent()) ?? '', /\(1 of 5 profiles\)/);
  await tab.getByRole('img', { name: 'Match rate 20.0%: 1 of 5 profiles' }).waitFor({ timeout: WAIT_MS });
  assert.equal(
    await cell.locator('svg rect').nth(1).getAttribute('width'),
    String(Math.round(rate.rate * 120)),
  );
  const row = tab
    .getByRole('row')
    .filter({ has: tab.getByRole('rowheader', { name: 'ssp_a', exact: true }) });
  assert.match((await row.textContent()) ?? '', /SSP A\s*redirect\s*755\s*every 14 days \/ 90 days/);

  // adding a partner: the API's error under the Sync URL field, then the partner added
  const bad = { code: 'dsp_b', name: 'DSP B', syncUrl: 'ftp://dsp-b.example/sync', type: 'redirect' };
  const refused = await h.call('POST', '/v1/partners', apiKey, bad);
  assert.equal(refused.status, 422);
  const apiErrors = (refused.body as { errors: { field: string; message: string }[] }).errors;
  const syncErrors = apiErrors.filter((e) => e.field === 'syncUrl').map((e) => e.message);
  assert.ok(syncErrors.length > 0, JSON.stringify(apiErrors));
  await tab.getByLabel('Code (its ID type)').fill(bad.code);
  await tab.getByLabel('Name', { exact: true }).fill(bad.name);
  await tab.getByLabel('Sync URL').fill(bad.syncUrl);
  await tab.getByRole('button', { name: 'Add partner' }).click();
  await tab
    .getByText('The partner was not added: see the errors under the fields.')
    .waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await tab.locator('#partner-syncUrl-errors li').allTextContents(), syncErrors);
  assert.equal(await tab.getByLabel('Sync URL').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await seriousViolations(tab), [], 'the partners page with a field error');
  await tab.getByLabel('Sync URL').fill('https://dsp-b.example/sync?redir=${REDIRECT}');
  await tab.getByRole('button', { name: 'Add partner' }).click();
  await tab.getByText('Added partner dsp_b.').waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.getByLabel('Sync URL').inputValue(), '', 'the form is ready for the next partner');
  await tab.getByRole('rowheader', { name: 'dsp_b', exact: true }).waitFor({ timeout: WAIT_MS });
  await tab
    .locator('.match-rate[data-partner="dsp_b"] .rate', { hasText: '0.0%' })
    .waitFor({ timeout: WAIT_MS });
  const added = await h.call('GET', '/v1/partners/dsp_b', apiKey);
  assert.equal((added.body as { syncUrl: string }).syncUrl, 'https://dsp-b.example/sync?redir=${REDIRECT}');
  assert.deepEqual(await seriousViolations(tab), [], 'the partners page');
  await tab.screenshot({ path: `${SHOTS}/partners.png`, fullPage: true });
  // on a tablet the page still fits its width (no sideways scrolling)
  await tab.setViewportSize({ width: 800, height: 1000 });
  assert.equal(await tab.evaluate('document.documentElement.scrollWidth <= 800'), true, 'partners at 800 px');
  await tab.screenshot({ path: `${SHOTS}/partners-tablet.png`, fullPage: true });
  await tab.getByRole('link', { name: 'Onboarding', exact: true }).click();
  await tab.getByRole('button', { name: job.job.slice(0, 8), exact: true }).click();
  await tab.getByRole('table', { name: 'Refused rows (row 1 is the header)' }).waitFor({ timeout: WAIT_MS });
  assert.equal(
    await tab.evaluate('document.documentElement.scrollWidth <= 800'),
    true,
    'onboarding at 800 px',
  );
  await tab.screenshot({ path: `${SHOTS}/onboarding-tablet.png`, fullPage: true });
  await tab.setViewportSize({ width: 1280, height: 900 });

  // privacy: an editor is told it needs the admin role, and has no form
  await tab.getByRole('link', { name: 'Privacy', exact: true }).click();
  await tab.getByText(/need the admin role; your role is editor/).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.getByLabel('Visitor ID').count(), 0);
  assert.deepEqual(await seriousViolations(tab), [], 'the privacy page for an editor');
  await tab.getByRole('button', { name: 'Log out' }).click();

  // a viewer: the jobs, no upload form; partners without match rates or the form
  await tab.getByRole('button', { name: 'Log in' }).waitFor({ timeout: WAIT_MS });
  await logInFirstTime(tab, 'vic@acme.com', viewerPassword);
  await tab.getByRole('link', { name: 'Onboarding', exact: true }).click();
  await tab.getByRole('button', { name: job.job.slice(0, 8), exact: true }).click();
  await tab.locator('#job-status', { hasText: /^Done: succeeded\. 3 rows applied, 2 refused/ }).waitFor({
    timeout: WAIT_MS,
  });
  await tab.getByText(/may read onboarding jobs but not upload files/).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.getByRole('button', { name: 'Upload', exact: true }).count(), 0);
  assert.equal(await tab.getByLabel('File', { exact: true }).count(), 0);
  assert.deepEqual(await seriousViolations(tab), [], 'the onboarding page for a viewer');
  await tab.screenshot({ path: `${SHOTS}/onboarding-viewer.png`, fullPage: true });
  await tab.getByRole('link', { name: 'Partners', exact: true }).click();
  await tab.getByRole('rowheader', { name: 'ssp_a', exact: true }).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.getByRole('cell', { name: 'needs the analyst role' }).count(), 2);
  assert.equal(await tab.getByRole('button', { name: 'Add partner' }).count(), 0);
  assert.deepEqual(await seriousViolations(tab), [], 'the partners page for a viewer');

  assert.deepEqual(errors, [], 'no script errors on any page');
});
