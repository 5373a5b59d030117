/**
 * The world the scale-out tests (issue 18) feed to the embedded server and to a scaled-out deployment:
 * the same traits, segments and a destination, and the same visitors' events over the last 20 days
 * (pages, places, devices, mobile IDs, event IDs), in batches sent out of order. Deterministic for a seed.
 */
import assert from 'node:assert/strict';
import { CHROME_UA, LONDON_IP, MOUNTAIN_VIEW_IP } from './addresses.ts';
import { maidOf } from './fake-ids.ts';
import type { Answer } from './scale-deployment.ts';
import { call } from './scale-deployment.ts';

const DAY = 86_400_000;
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
/** an address with no place in the shipped geo data */
const NOWHERE_IP = '203.0.113.9';
const PATHS = ['/', '/pricing/plans', '/blog/launch', '/cart', '/docs/start', '/pricing/faq'];

export const TRAITS = [
  ['pricing', 'Pricing pages', 'url.path startsWith "/pricing"'],
  ['blog', 'Blog readers', 'url.path startsWith "/blog"'],
  ['cart', 'Cart', 'url.path startsWith "/cart"'],
  ['docs', 'Docs', 'url.path startsWith "/docs"'],
] as const;

export const SEGMENTS = [
  ['everyone', 'Everyone', 'visits >= 1'],
  ['returning', 'Returning', 'visits >= 3'],
  ['londoners', 'Londoners', 'geo.city == "London"'],
  ['mobile', 'Mobile', 'device.type in ("mobile", "tablet")'],
  ['pricing_fans', 'Pricing fans', 'trait:pricing'],
  ['buyers', 'Buyers', 'trait:cart and trait:pricing'],
  ['london_pricing', 'London pricing', 'visits >= 2 and geo.city == "London" and trait:pricing[within 30d]'],
  ['recent_blog', 'Recent blog', 'trait:blog[within 3d]'],
] as const;

/** The OpenRTB destination bid requests are enriched for. */
export const SSP = {
  kind: 'openrtb',
  code: 'ssp',
  name: 'SSP',
  segments: [
    { segment: 'pricing_fans', id: '607' },
    { segment: 'londoners', id: '610' },
  ],
  segtax: 4,
  idType: 'uid',
  consent: { vendorId: 755, purposes: [1, 3, 4] },
  restrictions: [],
  settings: {},
};

/** The shop's origin: its site key lets pages there read the visitor cookie for page targeting. */
export const SHOP = 'https://shop.example.com';

/** The Ad Manager destination pages ask key-values of (`GET /v1/page/targeting`). */
export const GAM = {
  ...SSP,
  code: 'gam',
  name: 'GAM',
  kind: 'gam',
  settings: { key: 'dmp' },
};

/** A small deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The uid of visitor `i`. */
export const uidOf = (i: number): string => `v-${String(i).padStart(3, '0')}`;
/** Visitor `i`'s mobile ID, if it has one (every third visitor). */
export const maidOfVisitor = (i: number): string | undefined =>
  i % 3 === 0 ? maidOf(`visitor-${i}`) : undefined;

/**
 * Every visitor's events over the 20 days before `now`, each with an `id` (so retries are recognised),
 * in batches of up to `batch` events, shuffled across visitors and days (servers send out of order).
 *
 * Example: `for (const b of eventBatches(200, Date.now(), 7)) await send(b);`
 */
export function eventBatches(
  visitors: number,
  now: number,
  seed: number,
  batch = 60,
): Record<string, unknown>[][] {
  const next = random(seed);
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < visitors; i++) {
    const ip = [LONDON_IP, MOUNTAIN_VIEW_IP, NOWHERE_IP][i % 3];
    const ua = i % 4 === 0 ? IPHONE_UA : CHROME_UA;
    const maid = maidOfVisitor(i);
    const count = 1 + Math.floor(next() * 6);
    for (let k = 0; k < count; k++) {
      const ts = now - Math.floor(next() * 20 * DAY) - 60_000;
      events.push({
        id: `e-${i}-${k}`,
        uid: uidOf(i),
        ip,
        ua,
        ts,
        url: `https://shop.example.com${PATHS[Math.floor(next() * PATHS.length)] ?? '/'}`,
        ...(maid === undefined ? {} : { ids: { maid } }),
      });
    }
  }
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [events[i], events[j]] = [events[j] as Record<string, unknown>, events[i] as Record<string, unknown>];
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < events.length; i += batch) batches.push(events.slice(i, i + batch));
  return batches;
}

/**
 * Creates the world's traits, segments and destinations through `target` with `key`, and lets the shop's
 * pages use `siteKey`.
 * Example: `await createRules(d.apis[0], d.apiKey, d.siteKey)`.
 */
export async function createRules(target: { base: string }, key: string, siteKey: string): Promise<void> {
  const ok = (r: Answer) => assert.ok(r.status < 300, `${r.status} ${r.text}`);
  for (const [code, name, rule] of TRAITS)
    ok(await call(target, 'POST', '/v1/traits', key, { code, name, rule }));
  for (const [code, name, rule] of SEGMENTS)
    ok(await call(target, 'POST', '/v1/segments', key, { code, name, rule }));
  ok(await call(target, 'POST', '/v1/destinations', key, SSP));
  ok(await call(target, 'POST', '/v1/destinations', key, GAM));
  ok(await call(target, 'PUT', `/v1/site-keys/${siteKey}`, key, { origins: [`${SHOP}/`] }));
}

/**
 * Posts one batch; asserts it was accepted whole (202, nothing rejected) and returns the answer.
 * Example: `await postBatch(d.collectors[0], d.apiKey, batch)`.
 */
export async function postBatch(target: { base: string }, key: string, batch: unknown[]): Promise<Answer> {
  const posted = await call(target, 'POST', '/v1/events', key, batch);
  assert.equal(posted.status, 202, posted.text);
  assert.deepEqual((posted.body as { rejected?: unknown[] }).rejected ?? [], [], posted.text);
  return posted;
}

/** An OpenRTB 2.6 bid request for visitor `i`: by our uid, or by its mobile ID alone. */
export function bidRequestFor(i: number, by: 'uid' | 'maid'): Record<string, unknown> {
  const maid = maidOfVisitor(i);
  return {
    id: `bid-${i}-${by}`,
    imp: [{ id: '1', banner: { w: 300, h: 250 } }],
    site: { domain: 'shop.example.com', page: 'https://shop.example.com/' },
    device: { ua: CHROME_UA, ...(by === 'maid' && maid !== undefined ? { ifa: maid } : {}) },
    user: by === 'uid' ? { id: uidOf(i) } : {},
    regs: { gdpr: 0 },
  };
}

/**
 * Fields that say when an answer was computed or its object made: `asOf`, `at`, `exportedAt`, an
 * explained window's bounds from now, and a catalog object's `createdAt` and `updatedAt`.
 */
const MOMENT_FIELDS = new Set(['asOf', 'at', 'exportedAt', 'after', 'atOrBefore', 'createdAt', 'updatedAt']);

/** A JSON answer without the fields that say when it was computed (`MOMENT_FIELDS`), for comparing. */
export function timeless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(timeless);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (!MOMENT_FIELDS.has(key)) out[key] = timeless(inner);
  return out;
}
