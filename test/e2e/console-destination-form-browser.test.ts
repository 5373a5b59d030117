import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { WAIT_MS, consoleUser as user, logInFirstTime } from '../helpers/console-users.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** Screenshots of each page, kept by CI as test artefacts (git-ignored). */
const SHOTS = 'test-artifacts/console';

/** A destination as `GET /v1/destinations/{code}` answers it (the fields checked here). */
interface Stored {
  name: string;
  kind: string;
  idType: string;
  segments: { segment: string; id: string }[];
  consent: { vendorId?: number; purposes: number[] };
  settings: Record<string, unknown>;
}

/**
 * Destinations made in the console: an editor fills the form for a file drop (its columns, its mapping,
 * its consent), sends a bad "Rows per file" and reads the API's message under that field (and only
 * there), fixes it and creates the destination, which the API then holds field for field; renames it with
 * "Edit" (the API has the new name; the code, kind and settings stay); an http destination's bad URL shows
 * the API's message under "Partner URL", and its masked credential must be typed again (the mask is never
 * saved over the secret); "Delete" asks first and then deletes. A viewer has no "New
 * destination", "Edit" or "Delete". axe-core finds no serious violation on the form or the page.
 */
test('in Chromium: an editor creates, edits and deletes a destination through the form; a viewer cannot', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey, tenant } = await h.app.catalog.createTenant('acme');
  const ok = (r: { status: number; body: unknown }) => assert.ok(r.status < 300, JSON.stringify(r.body));
  ok(
    await h.call('POST', '/v1/segments', apiKey, {
      code: 'london',
      name: 'London',
      rule: 'geo.city == "London"',
    }),
  );
  const editorPassword = await user(h, apiKey, 'mia@acme.com', 'editor');
  const viewerPassword = await user(h, apiKey, 'vic@acme.com', 'viewer');

  const { tab, errors } = await openConsoleTab(t, `${h.base}/`, {
    login: { email: 'mia@acme.com', password: editorPassword },
  });

  // the form: a file drop with two columns, sent first with a bad "Rows per file"
  await tab.goto(`${h.base}/#/destinations`);
  await tab.getByText('No destinations yet.').waitFor({ timeout: WAIT_MS });
  await tab.getByRole('button', { name: 'New destination' }).click();
  // the form takes the focus: Tab reaches its first field, typed into with the keyboard
  await tab.getByRole('heading', { name: 'New destination' }).waitFor({ timeout: WAIT_MS });
  await tab.waitForFunction("document.activeElement?.id === 'destination-form-heading'", undefined, {
    timeout: WAIT_MS,
  });
  await tab.keyboard.press('Tab');
  assert.equal(await tab.evaluate<string>('document.activeElement.id'), 'code');
  await tab.keyboard.type('drop');
  await tab.getByLabel('Name', { exact: true }).fill('Partner drop');
  assert.equal(await tab.getByLabel('Kind').inputValue(), 'file');
  await tab.getByLabel('ID type').fill('uid');
  await tab.getByLabel('Segments sent').fill('london = L-1');
  await tab.getByLabel('Consent vendor ID (IAB GVL)').fill('755');
  await tab.getByLabel('Consent purposes (TCF)').fill('1, 3, 4');
  await tab.getByLabel('Format').selectOption('ndjson');
  await tab.getByLabel('Mode', { exact: true }).selectOption('delta');
  await tab.getByRole('button', { name: 'Add column' }).click();
  await tab.getByLabel('Column 2 name').fill('segs');
  await tab.getByLabel('Column 2 source').selectOption('segment_ids');
  await tab.getByLabel('Column 2 list separator').fill(';');
  const rows = tab.getByLabel('Rows per file');
  await rows.fill('0');
  await tab.getByRole('button', { name: 'Create destination' }).click();
  const rowsError = tab.locator('#settings-batchSize-error');
  await rowsError.filter({ hasText: 'must be between 1 and 10000000' }).waitFor({ timeout: WAIT_MS });
  assert.match((await rows.getAttribute('aria-describedby')) ?? '', /\bsettings-batchSize-error\b/);
  assert.equal(await rows.getAttribute('aria-invalid'), 'true');
  assert.equal(await tab.locator('.field-error:not(:empty)').count(), 1, 'one field at fault, one message');
  assert.equal((await h.call('GET', '/v1/destinations/drop', apiKey)).status, 404, 'nothing was created');
  assert.deepEqual(await seriousViolations(tab), [], 'the destination form with an error');
  await tab.screenshot({ path: `${SHOTS}/destination-form.png`, fullPage: true });
  await tab.setViewportSize({ width: 800, height: 1000 });
  assert.ok(
    (await tab.evaluate<number>('document.documentElement.scrollWidth')) <= 800,
    'the form fits 800 px',
  );
  await tab.setViewportSize({ width: 1280, height: 900 });
  await rows.fill('500');
  await tab.getByRole('button', { name: 'Create destination' }).click();
  await tab.getByRole('heading', { name: 'Destination drop' }).waitFor({ timeout: WAIT_MS });
  const created = (await h.call('GET', '/v1/destinations/drop', apiKey)).body as Stored;
  assert.deepEqual(created, {
    kind: 'file',
    code: 'drop',
    name: 'Partner drop',
    segments: [{ segment: 'london', id: 'L-1' }],
    idType: 'uid',
    consent: { vendorId: 755, purposes: [1, 3, 4] },
    restrictions: [],
    settings: {
      format: 'ndjson',
      mode: 'delta',
      batchSize: 500,
      columns: [
        { name: 'id', from: 'id' },
        { name: 'segs', from: 'segment_ids', separator: ';' },
      ],
    },
  });

  // "Edit": a new name; the API has it, and everything else as it was
  await tab.getByRole('button', { name: 'Edit' }).click();
  assert.equal(await tab.getByLabel('Code', { exact: true }).getAttribute('readonly'), '');
  assert.equal(await tab.getByLabel('Rows per file').inputValue(), '500');
  await tab.getByLabel('Name', { exact: true }).fill('Partner drop EU');
  await tab.getByRole('button', { name: 'Save destination' }).click();
  await tab.getByText(/^Saved destination drop at /).waitFor({ timeout: WAIT_MS });
  await tab.getByRole('definition').filter({ hasText: 'Partner drop EU' }).waitFor({ timeout: WAIT_MS });
  const edited = (await h.call('GET', '/v1/destinations/drop', apiKey)).body as Stored;
  assert.deepEqual(edited, { ...created, name: 'Partner drop EU' });
  assert.deepEqual(await seriousViolations(tab), [], 'the destination page after the edit');

  // an http destination: the API's message about the URL under "Partner URL"
  await tab.goto(`${h.base}/#/destinations`);
  await tab.getByRole('button', { name: 'New destination' }).click();
  await tab.getByLabel('Kind').selectOption('http');
  await tab.getByLabel('Code', { exact: true }).fill('hook');
  await tab.getByLabel('Name', { exact: true }).fill('Hook');
  const url = tab.getByLabel('Partner URL');
  await url.fill('ftp://partner.example.com/segments');
  await tab.getByRole('button', { name: 'Create destination' }).click();
  await tab
    .locator('#settings-url-error', { hasText: 'must be an absolute http or https URL' })
    .waitFor({ timeout: WAIT_MS });
  assert.equal((await h.call('GET', '/v1/destinations/hook', apiKey)).status, 404);
  await tab.getByRole('button', { name: 'Cancel' }).click();

  // an http destination's credential, masked by the API, must be typed again: the mask is never saved
  const hook = {
    kind: 'http',
    code: 'hook',
    name: 'Hook',
    segments: [],
    idType: 'uid',
    consent: { purposes: [] },
    restrictions: [],
    settings: { url: 'https://partner.example.com/segments', authorization: 'Bearer old' },
  };
  ok(await h.call('POST', '/v1/destinations', apiKey, hook));
  const secret = async () =>
    (
      (await h.app.catalog.getDestination(tenant, 'hook'))?.definition as {
        settings: { authorization: string };
      }
    ).settings.authorization;
  await tab.goto(`${h.base}/#/destinations/hook`);
  await tab.getByRole('button', { name: 'Edit' }).click();
  await tab.getByLabel('Name', { exact: true }).fill('Hook EU');
  await tab.getByRole('button', { name: 'Save destination' }).click();
  await tab
    .locator('#settings-authorization-error', { hasText: 'type it again to save' })
    .waitFor({ timeout: WAIT_MS });
  assert.equal(await secret(), 'Bearer old', 'the mask was not sent');
  await tab.getByLabel('Authorization header').fill('Bearer new');
  await tab.getByRole('button', { name: 'Save destination' }).click();
  await tab.getByText(/^Saved destination hook at /).waitFor({ timeout: WAIT_MS });
  assert.equal(await secret(), 'Bearer new');
  assert.equal(((await h.call('GET', '/v1/destinations/hook', apiKey)).body as Stored).name, 'Hook EU');

  // "Delete" asks first: "Keep it" keeps it, "Yes, delete" deletes it
  await tab.goto(`${h.base}/#/destinations`);
  await tab.getByRole('link', { name: 'drop', exact: true }).click();
  await tab.getByRole('button', { name: 'Delete' }).click();
  await tab.getByRole('button', { name: 'Keep it' }).click();
  assert.equal((await h.call('GET', '/v1/destinations/drop', apiKey)).status, 200);
  await tab.getByRole('button', { name: 'Delete' }).click();
  await tab.getByText(/^Delete destination drop\? .* This cannot be undone\./).waitFor({ timeout: WAIT_MS });
  await tab.getByRole('button', { name: 'Yes, delete drop' }).click();
  await tab.getByRole('heading', { name: 'Destinations', exact: true }).waitFor({ timeout: WAIT_MS });
  assert.equal((await h.call('GET', '/v1/destinations/drop', apiKey)).status, 404);
  await tab.getByRole('button', { name: 'Log out' }).click();

  // a viewer: no New destination, no Edit, no Delete
  ok(await h.call('POST', '/v1/destinations', apiKey, { ...created, code: 'drop2', name: 'Drop 2' }));
  await tab.getByRole('button', { name: 'Log in' }).waitFor({ timeout: WAIT_MS });
  await logInFirstTime(tab, 'vic@acme.com', viewerPassword);
  await tab.goto(`${h.base}/#/destinations`);
  await tab.getByRole('link', { name: 'drop2', exact: true }).click();
  await tab.getByRole('heading', { name: 'Destination drop2' }).waitFor({ timeout: WAIT_MS });
  await tab.getByRole('button', { name: 'Run now' }).waitFor({ timeout: WAIT_MS });
  for (const name of ['Edit', 'Delete', 'New destination'])
    assert.equal(await tab.getByRole('button', { name }).count(), 0, `a viewer has no ${name}`);
  await tab.goto(`${h.base}/#/destinations`);
  await tab.getByRole('link', { name: 'drop2', exact: true }).waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.getByRole('button', { name: 'New destination' }).count(), 0);

  assert.deepEqual(errors, [], 'no script errors on any page');
});
