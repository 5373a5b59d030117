import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { WAIT_MS, consoleUser } from '../helpers/console-users.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** Screenshots of each page, kept by CI as test artefacts (git-ignored). */
const SHOTS = 'test-artifacts/console';

/** What the export answers (the fields the test reads). */
interface Export {
  profile: { uid: string; ids: Record<string, string>; segments: string[] };
  events: unknown[];
}

/**
 * Issue 17's privacy page in Chromium, as an admin: the export of a visitor shows the numbers the API's
 * export holds and downloads the same JSON; deleting it asks first, naming the ID, then shows the receipt,
 * and the API finds no such profile; an opt-out is recorded (the API's opt-out of the same ID is no
 * longer new, the audit log has it, and the profile is gone). axe-core finds no serious violation.
 */
test('in Chromium: an admin exports then deletes a visitor, and opts another out', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const page = (uid: string, path: string, minutesAgo: number) => ({
    uid,
    url: `https://shop.example.com${path}`,
    ts: NOW - minutesAgo * 60_000,
    ids: {
      maid: uid === 'ann' ? '6d92078a-8246-4ba4-ae5b-76104861e7dc' : '0b7c1a2e-3f4d-4e5f-8a9b-0c1d2e3f4a5b',
    },
  });
  const posted = await h.call('POST', '/v1/events', apiKey, [
    page('ann', '/', 30),
    page('ann', '/pricing', 20),
    page('bob', '/', 10),
  ]);
  assert.equal(posted.status, 202, JSON.stringify(posted.body));
  const adminPassword = await consoleUser(h, apiKey, 'ada@acme.com', 'admin');
  const expected = (await h.call('GET', '/v1/profiles/ann/export', apiKey)).body as Export;
  assert.equal(expected.events.length, 2);

  const { tab, errors } = await openConsoleTab(t, `${h.base}/`, {
    login: { email: 'ada@acme.com', password: adminPassword },
    context: { acceptDownloads: true },
  });
  await tab.getByRole('link', { name: 'Privacy', exact: true }).click();

  // export: the summary says what the API's export holds, and the link downloads it whole
  await tab.getByLabel('Visitor ID').fill('ann');
  await tab.getByRole('button', { name: 'Export', exact: true }).click();
  const summary = tab.locator('#export-summary');
  await summary.waitFor({ timeout: WAIT_MS });
  const types = Object.keys(expected.profile.ids).join(', ');
  assert.match(
    (await summary.textContent()) ?? '',
    new RegExp(
      `^Visitor ann: 2 IDs \\(${types}\\), .*, 2 raw events, 0 ID-link rows; consent not recorded\\.$`,
    ),
  );
  const [download] = await Promise.all([
    tab.waitForEvent('download'),
    tab.getByRole('link', { name: /^Download the export \(visitor-ann-export\.json/ }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'visitor-ann-export.json');
  const saved = JSON.parse(await readFile(await download.path(), 'utf8')) as Export & { exportedAt: string };
  assert.deepEqual(saved.profile, expected.profile);
  assert.deepEqual(saved.events, expected.events);
  assert.deepEqual(await seriousViolations(tab), [], 'the privacy page with an export');

  // delete: a confirmation naming the ID first; Cancel keeps the visitor
  await tab.getByRole('button', { name: 'Delete', exact: true }).click();
  await tab.getByRole('heading', { name: "Delete visitor uid 'ann'?" }).waitFor({ timeout: WAIT_MS });
  await tab.waitForFunction("document.activeElement?.id === 'confirm-heading'", undefined, {
    timeout: WAIT_MS,
  });
  assert.deepEqual(await seriousViolations(tab), [], 'the privacy page asking to confirm');
  await tab.screenshot({ path: `${SHOTS}/privacy.png`, fullPage: true });
  await tab.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await h.call('GET', '/v1/profiles/ann', apiKey)).status, 200, 'cancelled: still there');
  await tab.getByRole('button', { name: 'Delete', exact: true }).click();
  await tab.getByRole('button', { name: "Delete uid 'ann' for good" }).click();
  const result = tab.locator('#privacy-result');
  await result.waitFor({ timeout: WAIT_MS });
  assert.match(
    (await result.textContent()) ?? '',
    /^Deleted visitor ann: 1 profile, 2 IDs, 0 trait realisations, 0 segment memberships; 2 raw events erased from the log\. Request [0-9a-f-]{36}, at 2026-11-20T12:00:00\.000Z\.$/,
  );
  const gone = await h.call('GET', '/v1/profiles/ann', apiKey);
  assert.equal(gone.status, 404, JSON.stringify(gone.body));
  assert.equal((await h.call('GET', '/v1/profiles/ann/export', apiKey)).status, 404);
  const deletions = (await h.call('GET', '/v1/audit?action=privacy.delete', apiKey)).body as {
    entries: { actor: string }[];
  };
  assert.deepEqual(
    deletions.entries.map((e) => e.actor),
    ['user:ada@acme.com'],
  );

  // opt-out by the visitor's maid: recorded, and its profile deleted
  const bobMaid = '0b7c1a2e-3f4d-4e5f-8a9b-0c1d2e3f4a5b';
  await tab.getByLabel('ID type').fill('maid');
  await tab.getByLabel('Visitor ID').fill(bobMaid);
  await tab.getByRole('button', { name: 'Opt out', exact: true }).click();
  await result
    .filter({ hasText: `Visitor maid '${bobMaid}' is now opted out` })
    .waitFor({ timeout: WAIT_MS });
  assert.match((await result.textContent()) ?? '', /Deleted visitor bob: 1 profile/);
  const optOuts = (await h.call('GET', '/v1/audit?action=privacy.optout', apiKey)).body as {
    entries: { actor: string }[];
  };
  assert.equal(optOuts.entries.length, 1);
  assert.equal((await h.call('GET', '/v1/profiles/bob', apiKey)).status, 404);
  const again = await h.call('POST', '/v1/optouts', apiKey, { idType: 'maid', id: bobMaid });
  assert.equal(again.status, 201, JSON.stringify(again.body));
  assert.equal((again.body as { new: boolean }).new, false, 'the console recorded the opt-out');
  // a request for an unknown visitor shows the API's answer
  await tab.getByLabel('ID type').fill('uid');
  await tab.getByLabel('Visitor ID').fill('nobody');
  await tab.getByRole('button', { name: 'Export', exact: true }).click();
  await tab.getByRole('alert').filter({ hasText: "no profile with uid 'nobody' in this tenant" }).waitFor({
    timeout: WAIT_MS,
  });
  assert.deepEqual(await seriousViolations(tab), [], 'the privacy page after an opt-out');

  assert.deepEqual(errors, [], 'no script errors');
});
