import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import type { TestApp } from './test-app.ts';
import { startTestApp } from './test-app.ts';

// The world of the ID-sync tests (test/e2e/id-sync*.test.ts): a started app with a tenant whose site key
// is allowed from SHOP and three partners, and the calls a page and a partner make.

/**
 * Real TC strings, as in src/core/identity/sync-plan.test.ts. V22 (TCF v2.2, CMP 10): purposes 1-4,
 * vendors 1, 2 and 755. SPEC (the IAB's own example, CMP 27): purposes 1-3, vendors 2, 6, 8.
 * REJECT_ALL: a "reject all" string of CMP 31.
 */
export const V22 = 'CQuci4AQuci4AAKABAENAHEgAPAAAAAAAAAAF5wAoAAgAEAvMAAAAAAA.YAAAAAAAAAAA';
export const SPEC = 'COvFyGBOvFyGBAbAAAENAPCAAOAAAAAAAAAAAEEUACCKAAA';
export const REJECT_ALL = 'CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA';

export const NOW = Date.parse('2026-11-20T12:00:00Z');
export const SHOP = 'https://shop.example.com';
export const EVIL = 'https://evil.example';

export const SSP_A = {
  code: 'ssp_a',
  name: 'SSP A',
  syncUrl:
    'https://ssp-a.example/sync?gdpr=${GDPR}&gdpr_consent=${GDPR_CONSENT_755}&us_privacy=${US_PRIVACY}&gpp=${GPP}&gpp_sid=${GPP_SID}&redir=${REDIRECT}',
  type: 'redirect',
  vendorId: 755,
  resyncDays: 14,
  idLifetimeDays: 90,
  uidMacro: '$UID',
};
export const SSP_B = {
  code: 'ssp_b',
  name: 'SSP B',
  syncUrl: 'https://ssp-b.example/s?c=${GDPR_CONSENT_32}&r=${REDIRECT}',
  type: 'redirect',
  vendorId: 32,
};
export const SSP_C = {
  code: 'ssp_c',
  name: 'SSP C',
  syncUrl: 'https://ssp-c.example/frame?u=${UID}&r=${REDIRECT}',
  type: 'iframe',
  vendorId: 8,
  uidMacro: '[UID]',
};

export interface SyncAnswer {
  status: string;
  bidder_status: {
    bidder: string;
    no_cookie: boolean;
    usersync: { url: string; type: string; supportCORS: boolean };
  }[];
}

/** A started app with a tenant, its site key allowed from SHOP, and the three partners. */
export async function world(dir: string, clock = manualClock(NOW)) {
  const h = await startTestApp(clock, dir);
  const { apiKey, siteKey } = await h.app.catalog.createTenant('acme');
  assert.equal((await h.call('PUT', `/v1/site-keys/${siteKey}`, apiKey, { origins: [SHOP] })).status, 200);
  for (const partner of [SSP_A, SSP_B, SSP_C]) {
    assert.equal((await h.call('POST', '/v1/partners', apiKey, partner)).status, 201, partner.code);
  }
  return { h, clock, apiKey, siteKey };
}

export function cookieSync(h: TestApp, siteKey: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${h.base}/cookie_sync?site=${siteKey}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function synced(
  response: Response,
): Promise<{ status: string; bidders: string[]; answer: SyncAnswer }> {
  assert.equal(response.status, 200, await response.clone().text());
  const answer = (await response.json()) as SyncAnswer;
  return { status: answer.status, bidders: answer.bidder_status.map((b) => b.bidder), answer };
}

export function setUid(
  h: TestApp,
  siteKey: string,
  query: string,
  cookie?: string,
  headers: Record<string, string> = {},
) {
  return fetch(`${h.base}/setuid?site=${siteKey}&${query}`, {
    headers: { ...(cookie === undefined ? {} : { cookie }), ...headers },
  });
}

export async function profileIds(
  h: TestApp,
  apiKey: string,
  uid: string,
): Promise<Record<string, string> | undefined> {
  const r = await h.call('GET', `/v1/profiles/${encodeURIComponent(uid)}`, apiKey);
  if (r.status === 404) return undefined;
  assert.equal(r.status, 200);
  return (r.body as { ids: Record<string, string> }).ids;
}

export async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-id-sync-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
