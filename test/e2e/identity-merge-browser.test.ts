import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { BrowserContext } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import { launchChromium } from '../helpers/browser.ts';
import { closeServer, listenLoopback } from '../helpers/loopback-servers.ts';
import type { World } from '../helpers/activation-world.ts';
import { ok, startWorld } from '../helpers/activation-world.ts';

/**
 * Cross-device merges of issue 15 in a real browser (Debian's headless Chromium): a laptop's browser and
 * a phone's app web view each get our cookie from the pixel; the phone's app sends its device ID (MAID)
 * with the cookie; both log in with the same e-mail hash (`i.email_sha256` on the pixel), which joins
 * them into one visitor whose segments reflect both devices, on the API and in the page targeting each
 * browser reads. The tenant's cap of one device ID holds when a second phone logs in; deleting the
 * visitor by the first MAID deletes it everywhere.
 *
 * The page is served as `localhost` on one port and the DMP as `localhost` on another (the same site,
 * so that our `SameSite=Lax` cookie, without `Secure` over plain HTTP, is sent with the page's requests).
 */
const NOW = Date.parse('2026-11-20T12:00:00Z');
const MAID = '6d92078a-8246-4ba4-ae5b-76104861e7dc';
const MAID_2 = '0f8fad5b-d9cb-469f-a165-70867728950e';
const EMAIL = createHash('sha256').update('ann@example.com').digest('hex');
const PAGE_MS = 15_000;

/** The page: fires each pixel of `?px=` (JSON list of query objects) in order, then reads the targeting. */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title></head><body><script>
const params = new URLSearchParams(location.search);
const dmp = params.get('dmp');
const site = params.get('site');
const pixels = JSON.parse(params.get('px') || '[]');
function load(src) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = resolve;
    img.onerror = () => reject(new Error('pixel failed: ' + src));
    img.src = src;
  });
}
async function run() {
  for (const px of pixels) await load(dmp + '/px?' + new URLSearchParams({ site, gdpr: '0', url: location.origin + location.pathname, ...px }));
  const answer = await fetch(dmp + '/v1/page/targeting?site=' + site + '&destination=pb&gdpr=0', { credentials: 'include' });
  if (!answer.ok) throw new Error('targeting answered ' + answer.status);
  const body = await answer.json();
  return (body.ortb2 ? body.ortb2.user.data : []).flatMap((d) => d.segment.map((s) => s.id));
}
run().then((segments) => { window.done = { segments }; }, (error) => { window.done = { error: String(error) }; });
</script></body></html>`;

async function startPage(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
  });
  const origin = `http://localhost:${await listenLoopback(server)}`;
  return { origin, close: () => closeServer(server) };
}

/** Opens the page in `context`, fires `pixels` in order, and returns the segments page targeting gave it. */
async function visit(
  context: BrowserContext,
  w: World,
  origin: string,
  path: string,
  pixels: Record<string, string>[],
): Promise<string[]> {
  const dmp = `http://localhost:${new URL(w.base).port}`;
  const query = new URLSearchParams({ dmp, site: w.siteKey, px: JSON.stringify(pixels) });
  const tab = await context.newPage();
  try {
    await tab.goto(`${origin}${path}?${query.toString()}`);
    await tab.waitForFunction('window.done !== undefined', undefined, { timeout: PAGE_MS });
    const done = await tab.evaluate<{ segments?: string[]; error?: string }>('window.done');
    assert.equal(done.error, undefined, `the page's script failed: ${done.error}`);
    return [...(done.segments ?? [])].sort();
  } finally {
    await tab.close();
  }
}

async function cookieOf(context: BrowserContext, w: World): Promise<string> {
  const cookie = (await context.cookies(`http://localhost:${new URL(w.base).port}`)).find(
    (c) => c.name === 'dmp_uid',
  );
  assert.ok(cookie !== undefined, 'the browser holds a dmp_uid cookie');
  return decodeURIComponent(cookie.value);
}

interface Profile {
  uid: string;
  ids: Record<string, string>;
  segments: string[];
}

test('in Chromium: a login hash joins a phone app’s MAID and a laptop’s cookie into one visitor; the caps hold; deleting the MAID deletes it', async (t) => {
  const clock = manualClock(NOW);
  const w = await startWorld(clock);
  t.after(() => w.close());
  const page = await startPage();
  t.after(() => page.close());
  const browser = await launchChromium();
  t.after(() => browser.close());
  ok(await w.call('PUT', `/v1/site-keys/${w.siteKey}`, { origins: [page.origin] }));
  for (const [code, rule] of [
    ['pricing', 'url.path startsWith "/pricing"'],
    ['app_user', 'event == "app_open"'],
  ])
    ok(await w.call('POST', '/v1/traits', { code, name: code, rule }));
  ok(
    await w.call('POST', '/v1/segments', {
      code: 'both',
      name: 'B',
      rule: 'trait:pricing and trait:app_user',
    }),
  );
  ok(await w.call('POST', '/v1/segments', { code: 'everyone', name: 'E', rule: 'visits >= 1' }));
  ok(
    await w.call('POST', '/v1/destinations', {
      kind: 'prebid',
      code: 'pb',
      name: 'Prebid',
      segtax: 4,
      segments: [
        { segment: 'both', id: '901' },
        { segment: 'everyone', id: '900' },
      ],
      idType: 'uid',
      consent: { vendorId: 755, purposes: [1, 3, 4] },
      restrictions: [],
      settings: {},
    }),
  );
  ok(await w.call('PUT', '/v1/identity/settings', { idCaps: { maid: 1 } }));
  const size = async (code: string): Promise<number> => {
    const answer = await w.call('GET', `/v1/segments/${code}/size`);
    assert.equal(answer.status, 200);
    return (answer.body as { size: number }).size;
  };
  const profile = async (path: string): Promise<Profile> => {
    const answer = await w.call('GET', path);
    assert.equal(answer.status, 200, `${path}: ${JSON.stringify(answer.body)}`);
    return answer.body as Profile;
  };

  // two devices, two visitors: the laptop reads pricing, the phone's app opens with its MAID
  const laptop = await browser.newContext();
  t.after(() => laptop.close());
  const phone = await browser.newContext();
  t.after(() => phone.close());
  assert.deepEqual(await visit(laptop, w, page.origin, '/pricing', [{}]), ['900']);
  clock.advance(60_000);
  assert.deepEqual(await visit(phone, w, page.origin, '/app', [{ e: 'app_open', 'i.maid': MAID }]), ['900']);
  clock.advance(60_000);
  const [laptopCookie, phoneCookie] = [await cookieOf(laptop, w), await cookieOf(phone, w)];
  assert.notEqual(laptopCookie, phoneCookie);
  assert.deepEqual([await size('everyone'), await size('both')], [2, 0]);

  // both log in with the same e-mail hash: one visitor, in both segments, on both devices' pages
  assert.deepEqual(await visit(laptop, w, page.origin, '/login', [{ e: 'login', 'i.email_sha256': EMAIL }]), [
    '900',
  ]);
  clock.advance(60_000);
  const segments = await visit(phone, w, page.origin, '/login', [{ e: 'login', 'i.email_sha256': EMAIL }]);
  assert.deepEqual(
    segments,
    ['900', '901'],
    "the phone's page gets the segment the laptop's visit made true",
  );
  assert.deepEqual(await visit(laptop, w, page.origin, '/home', []), ['900', '901'], 'and the laptop too');
  const merged = await profile(`/v1/profiles/${encodeURIComponent(laptopCookie)}`);
  assert.equal(merged.uid, laptopCookie, 'the laptop was seen first: its profile survives');
  assert.deepEqual(await profile(`/v1/profiles/${encodeURIComponent(phoneCookie)}`), merged);
  assert.deepEqual(await profile(`/v1/profiles/x?idType=maid&id=${MAID.toUpperCase()}`), merged);
  assert.equal(merged.ids.maid, MAID);
  assert.equal(merged.ids.email_sha256, EMAIL);
  assert.deepEqual([...merged.segments].sort(), ['both', 'everyone']);
  assert.deepEqual([await size('everyone'), await size('both')], [1, 1], 'counted once');

  // a second phone logs in: the tenant's cap of one device ID keeps the newest, the first no longer finds it
  clock.advance(60_000);
  const phone2 = await browser.newContext();
  t.after(() => phone2.close());
  await visit(phone2, w, page.origin, '/app', [
    { e: 'app_open', 'i.maid': MAID_2 },
    { e: 'login', 'i.email_sha256': EMAIL },
  ]);
  const capped = await profile(`/v1/profiles/x?idType=maid&id=${MAID_2}`);
  assert.equal(capped.uid, laptopCookie, 'the second phone joined the same visitor');
  assert.equal(
    (await w.call('GET', `/v1/profiles/x?idType=maid&id=${MAID}`)).status,
    404,
    'MAID 1 capped away',
  );
  assert.equal(await size('everyone'), 1);

  // deleting the visitor by its device ID deletes it under every ID, and each browser's page sees nothing
  const deleted = await w.call('DELETE', `/v1/profiles/x?idType=maid&id=${MAID_2}`);
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  for (const path of [
    `/v1/profiles/${encodeURIComponent(laptopCookie)}`,
    `/v1/profiles/${encodeURIComponent(phoneCookie)}`,
    `/v1/profiles/x?idType=email_sha256&id=${EMAIL}`,
    `/v1/profiles/x?idType=maid&id=${MAID_2}`,
  ])
    assert.equal((await w.call('GET', path)).status, 404, path);
  assert.deepEqual([await size('everyone'), await size('both')], [0, 0]);
  assert.deepEqual(await visit(phone, w, page.origin, '/app', []), []);
});
