import assert from 'node:assert/strict';
import type { TestApp } from './test-app.ts';
import { CHROME_UA, LONDON_IP, MOUNTAIN_VIEW_IP } from './addresses.ts';
import { maidOf } from './fake-ids.ts';

const DAY = 86_400_000;

/** The seed segment's rule: returning London visitors who saw the pricing page in the last 30 days. */
export const SEED = 'visits >= 2 and geo.city == "London" and trait:pricing_visitor[within 30d]';

/**
 * Posts two visits of `uid` from `ip` with the tenant's key, 10 days and 1 day before `now`, the first to
 * the pricing page; `maid`, when given, is the visitor's mobile advertising ID.
 *
 * Example: `await returningVisitor(h, apiKey, NOW, 'ann-london', LONDON_IP, maidOf('m-ann'))`.
 */
export async function returningVisitor(
  h: TestApp,
  apiKey: string,
  now: number,
  uid: string,
  ip: string,
  maid?: string,
): Promise<void> {
  const ids = maid === undefined ? {} : { ids: { maid } };
  const page = (ts: number, path: string) => ({
    uid,
    ip,
    ua: CHROME_UA,
    ts,
    url: `https://shop.example.com${path}`,
    ...ids,
  });
  const posted = await h.call('POST', '/v1/events', apiKey, [
    page(now - 10 * DAY, '/pricing/plans'),
    page(now - DAY, '/'),
  ]);
  assert.equal(posted.status, 202, JSON.stringify(posted.body));
}

/**
 * The seed segment `london_pricing` (rule `SEED`, on the trait `pricing_visitor`) and four returning
 * visitors before `now`: ann-london and cat-london with mobile ad IDs (m-ann, m-cat), dan-london-no-maid
 * without one (all three in the segment), and bob-mountain-view, who is not.
 *
 * Example: `await seedLondonPricing(h, apiKey, NOW); // GET /v1/segments/london_pricing/size -> 3`
 */
export async function seedLondonPricing(h: TestApp, apiKey: string, now: number): Promise<void> {
  const ok = (r: { status: number; body: unknown }) => assert.ok(r.status < 300, JSON.stringify(r.body));
  ok(
    await h.call('POST', '/v1/traits', apiKey, {
      code: 'pricing_visitor',
      name: 'Visited pricing',
      rule: 'url.path startsWith "/pricing"',
    }),
  );
  ok(
    await h.call('POST', '/v1/segments', apiKey, {
      code: 'london_pricing',
      name: 'London pricing',
      rule: SEED,
    }),
  );
  await returningVisitor(h, apiKey, now, 'ann-london', LONDON_IP, maidOf('m-ann'));
  await returningVisitor(h, apiKey, now, 'cat-london', LONDON_IP, maidOf('m-cat'));
  await returningVisitor(h, apiKey, now, 'dan-london-no-maid', LONDON_IP);
  await returningVisitor(h, apiKey, now, 'bob-mountain-view', MOUNTAIN_VIEW_IP);
}
