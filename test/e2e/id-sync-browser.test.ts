import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import { launchChromium } from '../helpers/browser.ts';
import type { SyncPartner } from '../helpers/loopback-servers.ts';
import { closeServer, listenLoopback, startSyncPartner } from '../helpers/loopback-servers.ts';
import type { ManualClock, World } from '../helpers/activation-world.ts';
import {
  exportFiles,
  fileDestination,
  gunzipText,
  ok,
  runViaApi,
  seedRules,
  startWorld,
} from '../helpers/activation-world.ts';

/**
 * The ID sync of issue 15 in a real browser (Debian's headless Chromium through playwright-core):
 * a shop's page calls `/cookie_sync`, loads each sync as an image as Prebid.js does, and two partners
 * answer with a redirect back to `/setuid` carrying their own ID for the browser.
 *
 * The hosts are chosen for the cookies. Every server listens on 127.0.0.1, but the browser reaches the
 * page (origin A) and the DMP as `localhost` on their own ports, and the partners as `127.0.0.1`:
 * - page and DMP are other origins (CORS applies to `/cookie_sync`) but the same site (a site ignores
 *   the port), as a shop and its DMP on a subdomain would be: the `dmp_uid` cookie, which over plain
 *   HTTP is `SameSite=Lax` without `Secure`, is set by the pixel and sent with the page's requests;
 * - the partners are another site, like a real SSP, and the browser comes back from them to `/setuid`.
 *
 * Real TC strings (src/core/identity/sync-plan.test.ts): V22 gives purposes 1-4 and vendors 1, 2 and
 * 755; SPEC (the IAB's example) purposes 1-3 and vendors 2, 6 and 8.
 */
const V22 = 'CQuci4AQuci4AAKABAENAHEgAPAAAAAAAAAAF5wAoAAgAEAvMAAAAAAA.YAAAAAAAAAAA';
const SPEC = 'COvFyGBOvFyGBAbAAAENAPCAAOAAAAAAAAAAAEEUACCKAAA';

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** How long the page may take to run its syncs. */
const PAGE_MS = 15_000;

/** The shop's page server: `/pricing?tc=TC` is a page whose script runs the pixel and the syncs. */
interface PageServer {
  /** the page's origin as the browser sees it: `http://localhost:PORT` */
  origin: string;
  /** where the page reaches the DMP (changed after a restart, which gives the DMP another port) */
  dmp: string;
  close(): Promise<void>;
}

/**
 * What the page does, as a tag would: the pixel (`/px`, which sets the `dmp_uid` cookie and records a
 * page view with the page's URL and consent), then `POST /cookie_sync` with credentials and a
 * `text/plain` JSON body (no preflight, as Prebid.js sends it), then each `redirect` sync loaded as an
 * image. It ends by setting `window.syncDone` to the answer's status and the bidders it loaded, or to
 * the error.
 */
function pageHtml(dmp: string, siteKey: string, tc: string): string {
  const settings = JSON.stringify({ dmp, siteKey, tc });
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Pricing</title></head>
<body><h1>Pricing</h1>
<script>
const { dmp, siteKey, tc } = ${settings};
function load(src) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = resolve;
    img.onerror = () => reject(new Error('image failed: ' + src));
    img.src = src;
  });
}
async function run() {
  const px = new URLSearchParams({ site: siteKey, url: location.href, gdpr: '1', gdpr_consent: tc });
  await load(dmp + '/px?' + px);
  const answer = await fetch(dmp + '/cookie_sync?site=' + encodeURIComponent(siteKey), {
    method: 'POST',
    credentials: 'include',
    body: JSON.stringify({ gdpr: 1, gdpr_consent: tc }),
  });
  if (!answer.ok) throw new Error('/cookie_sync answered ' + answer.status + ': ' + (await answer.text()));
  const body = await answer.json();
  const syncs = body.bidder_status.filter((b) => b.usersync.type === 'redirect');
  await Promise.all(syncs.map((b) => load(b.usersync.url)));
  return { status: body.status, bidders: syncs.map((b) => b.bidder) };
}
run().then(
  (done) => { window.syncDone = done; },
  (error) => { window.syncDone = { error: String(error) }; },
);
</script></body></html>`;
}

async function startPageServer(siteKey: string): Promise<PageServer> {
  const state = { dmp: '' };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/pricing') {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(pageHtml(state.dmp, siteKey, url.searchParams.get('tc') ?? ''));
  });
  const port = await listenLoopback(server);
  return {
    origin: `http://localhost:${port}`,
    get dmp() {
      return state.dmp;
    },
    set dmp(base: string) {
      state.dmp = base;
    },
    close: () => closeServer(server),
  };
}

/** The DMP's base as the browser reaches it: `http://localhost:PORT` (the page's site, another origin). */
function browserBase(w: World): string {
  return `http://localhost:${new URL(w.base).port}`;
}

/** What the page's script ended with. */
interface PageRun {
  status?: string;
  bidders?: string[];
  error?: string;
}

/** Opens the pricing page in `context` with the TC string `tc` and waits for its syncs to end. */
async function visitPricing(context: BrowserContext, page: PageServer, tc: string): Promise<PageRun> {
  const tab = await context.newPage();
  try {
    await tab.goto(`${page.origin}/pricing?tc=${encodeURIComponent(tc)}`);
    await tab.waitForFunction('window.syncDone !== undefined', undefined, { timeout: PAGE_MS });
    const done = await tab.evaluate<PageRun>('window.syncDone');
    assert.equal(done.error, undefined, `the page's script failed: ${done.error}`);
    return done;
  } finally {
    await tab.close();
  }
}

/** The browser's `dmp_uid` cookie (HttpOnly: the page cannot read it, the browser context can). */
async function visitorOf(context: BrowserContext, dmp: string): Promise<string> {
  const cookie = (await context.cookies(dmp)).find((c) => c.name === 'dmp_uid');
  assert.ok(cookie !== undefined, `the browser holds a dmp_uid cookie for ${dmp}`);
  return decodeURIComponent(cookie.value);
}

async function profileIds(w: World, uid: string): Promise<Record<string, string>> {
  const answer = await w.call('GET', `/v1/profiles/${encodeURIComponent(uid)}`);
  assert.equal(answer.status, 200, `GET /v1/profiles/${uid}: ${JSON.stringify(answer.body)}`);
  return (answer.body as { ids: Record<string, string> }).ids;
}

/** The two partners as the tenant declares them: B is GVL vendor 755, C vendor 2. */
function partners(b: SyncPartner, c: SyncPartner) {
  return [
    {
      code: 'ssp_b',
      name: 'SSP B',
      type: 'redirect',
      vendorId: 755,
      syncUrl: `${b.base}/sync?gdpr=\${GDPR}&gdpr_consent=\${GDPR_CONSENT_755}&redir=\${REDIRECT}`,
    },
    {
      code: 'ssp_c',
      name: 'SSP C',
      type: 'redirect',
      vendorId: 2,
      syncUrl: `${c.base}/sync?gdpr=\${GDPR}&gdpr_consent=\${GDPR_CONSENT_2}&redir=\${REDIRECT}`,
    },
  ];
}

/** A bid request from partner C's exchange: the visitor only as `user.buyeruid`, GDPR consent V22. */
function bidRequest(buyeruid: string) {
  return {
    id: 'req-1',
    imp: [{ id: '1', banner: { w: 300, h: 250 } }],
    site: { page: 'http://localhost/pricing' },
    user: { buyeruid, ext: { consent: V22 } },
    regs: { ext: { gdpr: 1 } },
  };
}

/** The segment IDs the enrichment added (`user.data` entry `opendmp`), or undefined when none was. */
function enrichedSegments(body: unknown): string[] | undefined {
  const data = (body as { user?: { data?: { id: string; segment: { id: string }[] }[] } }).user?.data;
  return data?.find((d) => d.id === 'opendmp')?.segment.map((s) => s.id);
}

test('in Chromium: a page syncs two partners through /cookie_sync and /setuid; the IDs survive a restart, feed a file export and bid enrichment, and a TC string without a partner stops its sync', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-id-sync-browser-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const clock: ManualClock = manualClock(NOW);
  let w = await startWorld(clock, dir);
  t.after(() => w.close());
  const b = await startSyncPartner('B');
  t.after(() => b.close());
  const c = await startSyncPartner('C');
  t.after(() => c.close());
  const page = await startPageServer(w.siteKey);
  t.after(() => page.close());
  page.dmp = browserBase(w);
  const browser = await launchChromium();
  t.after(() => browser.close());

  ok(await w.call('PUT', `/v1/site-keys/${w.siteKey}`, { origins: [page.origin] }));
  for (const partner of partners(b, c)) ok(await w.call('POST', '/v1/partners', partner));
  await seedRules(w); // the trait "pricing" (url.path startsWith "/pricing") and its segment pricing_fans (607)

  // 1. a first visit: the pixel sets the cookie, both partners sync and come back to /setuid
  const laptop = await browser.newContext();
  t.after(() => laptop.close());
  const first = await visitPricing(laptop, page, V22);
  assert.deepEqual(first, { status: 'ok', bidders: ['ssp_b', 'ssp_c'] }, 'the pixel set the cookie first');
  const uid = await visitorOf(laptop, page.dmp);
  assert.deepEqual(
    [b.hits.length, c.hits.length],
    [1, 1],
    'each partner was called once, by the browser, through the sync URL the DMP answered',
  );
  assert.equal(b.hits[0]!.query.get('gdpr'), '1');
  assert.equal(b.hits[0]!.query.get('gdpr_consent'), V22, "the page's TC string reached the partner");
  const ids = await profileIds(w, uid);
  assert.equal(ids.ssp_b, 'B-1', "partner B's ID is on the visitor of the browser's cookie");
  assert.equal(ids.ssp_c, 'C-1', "partner C's ID too");

  // 2. a restart on the same data folder: the mappings are replayed, and still fresh (resyncDays 14)
  await w.close();
  w = await startWorld(clock, dir);
  page.dmp = browserBase(w);
  const kept = await profileIds(w, uid);
  assert.deepEqual([kept.ssp_b, kept.ssp_c], ['B-1', 'C-1'], 'kept across the restart');
  const again = await visitPricing(laptop, page, V22);
  assert.deepEqual(again, { status: 'ok', bidders: [] }, 'both IDs are fresher than resyncDays');
  assert.equal(await visitorOf(laptop, page.dmp), uid, 'the same visitor (cookies are per host, not port)');
  assert.deepEqual([b.hits.length, c.hits.length], [1, 1], 'no partner was called again');

  // 3. a file destination keyed on partner B's ID type exports partner B's IDs
  ok(await w.call('POST', '/v1/destinations', fileDestination('ssp-b-file', 'csv', 10, 'ssp_b')));
  const run = await runViaApi(w, 'ssp-b-file', { mode: 'full', runId: 'b-full' });
  assert.equal(run.status, 'succeeded', JSON.stringify(run.report));
  const files = await exportFiles(w, 'ssp-b-file', 'b-full');
  const parts = [...files.keys()].filter((name) => name.startsWith('part-'));
  const rows = parts.flatMap((name) => gunzipText(files.get(name)!).trim().split('\n').slice(1));
  assert.deepEqual(rows, ['B-1,607,add'], "partner B's ID, with the segment the page visit realised");

  // 4. a bid request carrying only partner C's buyeruid is enriched for a destination keyed on C's type
  ok(
    await w.call('POST', '/v1/destinations', {
      kind: 'openrtb',
      code: 'ssp-c-rtb',
      name: 'SSP C bids',
      segments: [{ segment: 'pricing_fans', id: '607' }],
      idType: 'ssp_c',
      consent: { vendorId: 2, purposes: [1, 3, 4] },
      restrictions: [],
      settings: {},
    }),
  );
  const enrich = async (buyeruid: string) => {
    const answer = await w.call('POST', '/v1/openrtb/enrich?destination=ssp-c-rtb', bidRequest(buyeruid));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return enrichedSegments(answer.body);
  };
  assert.deepEqual(await enrich('C-1'), ['607'], "found by partner C's ID alone");
  assert.equal(await enrich('B-1'), undefined, "partner B's ID is not partner C's: not found");

  // 5. another browser whose TC string lacks partner B's vendor (755) syncs only partner C
  const phone = await browser.newContext();
  t.after(() => phone.close());
  const spec = await visitPricing(phone, page, SPEC);
  assert.deepEqual(spec, { status: 'ok', bidders: ['ssp_c'] });
  assert.deepEqual([b.hits.length, c.hits.length], [1, 2], 'partner B was not called');
  const other = await visitorOf(phone, page.dmp);
  assert.notEqual(other, uid, 'a browser of its own: another visitor');
  const otherIds = await profileIds(w, other);
  assert.equal(otherIds.ssp_c, 'C-2');
  assert.equal(otherIds.ssp_b, undefined, 'no ID of partner B');
});

// Cross-device merges in the browser (a login hash joining a phone's MAID and a laptop's cookie, the
// caps, the deletion of a merged visitor) are in identity-merge-browser.test.ts.
