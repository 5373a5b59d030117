import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { Audit } from '../governance/audit.ts';
import { SiteKeyService } from '../governance/site-key-service.ts';
import { createMetrics } from './metrics.ts';
import { pixelFastPath } from './pixel-fast-path.ts';
import { SiteKeyCache } from './site-key-cache.ts';
import { trustProxy } from './trust-proxy.ts';
import type { TrustProxySetting } from '../config/trust-proxy-setting.ts';

const SHOP = 'https://shop.example.com';

const TOKEN = 'metrics-token';

async function startApp(
  collectPerIp: number,
  trustProxy: TrustProxySetting = false,
): Promise<{ app: App; base: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-fastpath-'));
  const rateLimits = { apiPerKey: 0, collectPerIp };
  const config = loadConfig(
    { dataDir: dir, logLevel: 'silent', port: 0, rateLimits, trustProxy, metricsToken: TOKEN },
    {},
  );
  const app = await createApp(config);
  const base = await app.server.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    base,
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The answer with what legitimately differs (date, rate-limit headers, a new visitor ID) masked. */
async function answer(url: string, headers: Record<string, string>) {
  const response = await fetch(url, { headers });
  const body = Buffer.from(await response.arrayBuffer()).toString('base64');
  const shown: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name === 'date' || name.startsWith('x-ratelimit')) return;
    shown[name] = name === 'set-cookie' ? value.replace(/^dmp_uid=[0-9a-f-]{36};/, 'dmp_uid=NEW;') : value;
  });
  return { status: response.status, headers: shown, body };
}

const scenarios: [string, string, Record<string, string>][] = [
  ['a page view with a uid', '&uid=c-1&url=https://shop.example.com/pricing?utm_source=news', {}],
  [
    'a new visitor over https from an allowed origin',
    '&url=https://shop.example.com/',
    {
      origin: SHOP,
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '81.2.69.160, 10.0.0.1',
    },
  ],
  ['the visitor ID from the cookie', '&url=https://shop.example.com/', { cookie: 'a=1; dmp_uid=c-2' }],
  ['an event that is not valid', '&uid=c-3&ts=notatime', { origin: SHOP }],
  ['no consent to store', '&gdpr=1&gdpr_consent=', {}],
  ['the opt-out cookie', '&url=https://shop.example.com/', { cookie: 'dmp_optout=1' }],
  ['signals and consent fields', '&uid=c-4&s.tag=a&s.tag=b&us_privacy=1YNN&gpp_sid=2%2C7&e=click', {}],
];

void test('the pixel fast path answers every request as the Fastify route does', async (t) => {
  const fast = await startApp(0); // fast path on
  const routed = await startApp(60_000); // the rate limit keeps every request on Fastify's route
  t.after(() => fast.close());
  t.after(() => routed.close());
  const sites = await Promise.all(
    [fast, routed].map(async ({ app }) => {
      await app.catalog.createTenant('acme');
      return app.catalog.createSiteKey('acme', [SHOP]);
    }),
  );
  // the first request fills the site-key cache, from then on the fast path answers
  for (const [base, site] of [
    [fast.base, sites[0]],
    [routed.base, sites[1]],
  ] as const)
    await (await fetch(`${base}/px?site=${site}&uid=warm`)).arrayBuffer();
  for (const [name, query, headers] of scenarios) {
    const ours = await answer(`${fast.base}/px?site=${sites[0]}${query}`, headers);
    const theirs = await answer(`${routed.base}/px?site=${sites[1]}${query}`, headers);
    assert.deepEqual(ours, theirs, name);
  }
  const accepted = async (base: string) =>
    (await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text())
      .split('\n')
      .filter((line) => line.startsWith('dmp_events_'));
  assert.deepEqual(await accepted(fast.base), await accepted(routed.base));
});

void test('the fast path takes a cached site key and leaves everything else to Fastify', async (t) => {
  const h = await startApp(0);
  t.after(() => h.close());
  const { siteKey } = await h.app.catalog.createTenant('acme');
  const other = await h.app.catalog.createSiteKey('acme', [SHOP]);
  const metrics = createMetrics(() => 0);
  const sites = new SiteKeyCache(new SiteKeyService(h.app.catalog, new Audit(h.app.catalog)));
  const trust = trustProxy(false);
  const serve = pixelFastPath({ ingest: h.app.ingest, metrics, sites, log: h.app.server.log, trust });
  const server = createServer((req, res) => {
    if (!serve(req, res)) res.writeHead(599).end(); // 599: left to Fastify
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const status = async (path: string, headers: Record<string, string> = {}) =>
    (await fetch(`${base}${path}`, { headers })).status;

  assert.equal(await status(`/px?site=${siteKey}&uid=c-1`), 599, 'not cached yet');
  await sites.get(siteKey);
  await sites.get(other);
  assert.equal(await status(`/px?site=${siteKey}&uid=c-1&url=${SHOP}/`), 200);
  assert.equal(await status(`/px?site=${siteKey}&uid=c-1&ts=notatime`), 400);
  const accepted = await metrics.eventsAccepted.get();
  assert.deepEqual(
    accepted.values.map((v) => v.value),
    [1],
  );
  assert.equal(await status(`/px?site=${other}&uid=c-1`, { origin: SHOP }), 200);
  assert.equal(await status(`/px?site=${other}&uid=c-1`, { origin: 'https://evil.example' }), 599);
  assert.equal(await status(`/px?site=${siteKey}&site=${siteKey}&uid=c-1`), 599, 'a repeated site');
  assert.equal(await status(`/px?uid=c-1`), 599, 'no site');
  assert.equal(await status(`/pxx?site=${siteKey}`), 599, 'another path');
  assert.equal(await status(`/v1/traits`), 599);
});

void test('the fast path takes the client address as Fastify does: X-Forwarded-For only from a trusted proxy', async (t) => {
  const city = async (trust: TrustProxySetting) => {
    const h = await startApp(0, trust); // fast path on
    t.after(() => h.close());
    const { tenant, siteKey } = await h.app.catalog.createTenant('acme');
    await (await fetch(`${h.base}/px?site=${siteKey}&uid=warm`)).arrayBuffer(); // the cache knows the key
    const headers = { 'x-forwarded-for': '8.8.8.8, 81.2.69.160' };
    assert.equal((await fetch(`${h.base}/px?site=${siteKey}&uid=geo`, { headers })).status, 200);
    const profile = h.app.profileService.get(tenant, { uid: 'geo' }) as {
      attributes: { geo: { city?: string } };
    };
    return profile.attributes.geo.city;
  };
  assert.equal(await city(false), undefined, 'a spoofed address is not used');
  assert.equal(await city({ addresses: ['loopback'] }), 'London');
});
