import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { manualClock } from '../../src/core/clock.ts';
import { openOptOutForm, pressOptOut } from '../helpers/browser-opt-out.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const SHOP = 'https://shop.example.com';

test("the public opt-out: a page with a button, and only that page's form opts out", async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey, siteKey } = await h.app.catalog.createTenant('acme');
  const site = `?site=${siteKey}`;
  const visit = (uid: string, more = '') =>
    fetch(`${h.base}/px${site}&url=${SHOP}/`, { headers: { cookie: `dmp_uid=${uid}${more}` } });
  const pageviews = async (uid: string) => {
    const r = await h.call('GET', `/v1/profiles/${uid}`, apiKey);
    return r.status === 200
      ? (r.body as { attributes: { pageviews: number } }).attributes.pageviews
      : r.status;
  };

  await t.test(
    'a GET (a link, or an image tag on another site) shows the page and changes nothing',
    async () => {
      await visit('c-1');
      const img = await fetch(`${h.base}/optout${site}`, {
        headers: { cookie: 'dmp_uid=c-1', 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' },
      });
      assert.equal(img.status, 200);
      assert.match(img.headers.get('content-type') ?? '', /^text\/html/);
      const html = await img.text();
      assert.match(html, /<form method="post">/);
      assert.match(html, /<button type="submit">Opt out<\/button>/);
      assert.deepEqual(
        img.headers.getSetCookie().filter((c) => /^dmp_(optout|uid)=/.test(c)),
        [],
        'no opt-out cookie, the visitor cookie kept',
      );
      assert.match(img.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      await visit('c-1');
      assert.equal(await pageviews('c-1'), 2, 'the profile is kept and the visitor still collects');
    },
  );

  await t.test("the page's button (a same-origin post with the form's token) opts out", async () => {
    await visit('c-2');
    const form = await openOptOutForm(h.base, site, 'dmp_uid=c-2');
    const out = await pressOptOut(h.base, site, 'dmp_uid=c-2', form);
    assert.equal(out.status, 200);
    assert.match(await out.text(), /You have opted out/);
    const cookies = out.headers.getSetCookie();
    assert.ok(cookies.some((c) => /^dmp_optout=1; Max-Age=\d{8,}/.test(c)));
    assert.ok(cookies.some((c) => /^dmp_uid=; Max-Age=0/.test(c)));
    assert.equal(await pageviews('c-2'), 404, 'the profile is deleted');
    await visit('c-2', '; dmp_optout=1');
    await visit('c-2');
    assert.equal(await pageviews('c-2'), 404, 'the visitor is opted out in the tenant: nothing collected');
  });

  await t.test('a post from another site, or without the form of this browser, is refused', async () => {
    await visit('c-3');
    const form = await openOptOutForm(h.base, site, 'dmp_uid=c-3');
    const other = await openOptOutForm(h.base, site, '');
    const refusals: [string, Record<string, string>, Pick<typeof form, 'cookie' | 'token'>, string][] = [
      [
        'a form on another site',
        { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
        form,
        'cross_site_request',
      ],
      [
        'another site, no Sec-Fetch-Site',
        { origin: 'https://evil.example', 'sec-fetch-site': '' },
        form,
        'cross_site_request',
      ],
      ['a sibling subdomain', { 'sec-fetch-site': 'same-site' }, form, 'cross_site_request'],
      ['an opaque origin', { origin: 'null', 'sec-fetch-site': '' }, form, 'cross_site_request'],
      [
        'a Referer from another site',
        { origin: '', 'sec-fetch-site': '', referer: 'https://evil.example/x' },
        form,
        'cross_site_request',
      ],
      ['no token', {}, { cookie: form.cookie, token: '' }, 'invalid_form_token'],
      ["another browser's token", {}, { cookie: form.cookie, token: other.token }, 'invalid_form_token'],
      ['no form cookie', {}, { cookie: '', token: form.token }, 'invalid_form_token'],
    ];
    for (const [why, headers, used, code] of refusals) {
      const r = await pressOptOut(h.base, site, 'dmp_uid=c-3', used, headers);
      assert.equal(r.status, 403, why);
      const body = (await r.json()) as { code: string; detail: string };
      assert.equal(body.code, code, why);
      assert.match(body.detail, /open GET \/optout/, `${why}: the answer says what to do`);
      assert.deepEqual(r.headers.getSetCookie(), [], `${why}: no cookie set`);
    }
    assert.equal(await pageviews('c-3'), 1, 'still collected, never opted out');
  });
});

test('many opt-outs from one client IP get 429 with Retry-After', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-optout-'));
  const config = loadConfig({ dataDir: dir, logLevel: 'silent' }, { DMP_RATE_LIMIT_OPTOUT: '3' });
  const app = await createApp(config, manualClock(NOW));
  t.after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });
  const base = await app.server.listen({ port: 0, host: '127.0.0.1' });
  const { siteKey } = await app.catalog.createTenant('acme');
  const form = await openOptOutForm(base, `?site=${siteKey}`, '');
  for (let i = 1; i <= 3; i++) {
    const r = await pressOptOut(base, `?site=${siteKey}`, `dmp_uid=c-${i}`, form);
    assert.equal(r.status, 200, `opt-out ${i}`);
  }
  const over = await pressOptOut(base, `?site=${siteKey}`, 'dmp_uid=c-4', form);
  assert.equal(over.status, 429);
  assert.ok(Number(over.headers.get('retry-after')) >= 1, 'Retry-After says when');
  assert.equal(((await over.json()) as { code: string }).code, 'rate_limited');
  assert.equal((await fetch(`${base}/optout?site=${siteKey}`)).status, 200, 'the page itself is not limited');
});
