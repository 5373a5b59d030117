import assert from 'node:assert/strict';
import { bidRequest25 } from '../../src/core/activation/bid-request-fixtures.ts';
import type { World } from './activation-world.ts';
import {
  WITH_VENDOR,
  exportFiles,
  fileDestination,
  gunzipText,
  ok,
  runViaApi,
  seedRules,
} from './activation-world.ts';

/** The visitor of the consent tests: `bidRequest25` names it as `buyeruid`. */
export const VISITOR = 'c-123';

/**
 * What one visitor gets from every activation path at once, for the consent-as-state tests.
 *
 * Example: `{ enriched: ['607'], page: { dmp: ['607'] }, delta: [['c-123', '607', 'add']], full: true }`
 */
export interface Probe {
  /** segment IDs our entry adds to an SSP's bid request that carries a grant of its own */
  enriched: string[];
  /** the page's GAM key-values for the browser with the visitor's cookie */
  page: Record<string, string[]>;
  /** the visitor's rows in a new delta file export */
  delta: string[][];
  /** whether a new full file export holds the visitor */
  full: boolean;
}

/**
 * Rules (`seedRules`) and the four destinations a probe reads: `ssp` (OpenRTB), `gam` (page targeting),
 * `delta-out` and `full-out` (CSV file exports), all asking vendor 755 for purposes 1, 3 and 4.
 *
 * Example: `await setUpDestinations(w);`
 */
export async function setUpDestinations(w: World): Promise<void> {
  await seedRules(w);
  const segments = [{ segment: 'pricing_fans', id: '607' }];
  const consent = { vendorId: 755, purposes: [1, 3, 4] };
  const base = { segments, idType: 'uid', consent, restrictions: [] };
  ok(
    await w.call('POST', '/v1/destinations', {
      ...base,
      kind: 'openrtb',
      code: 'ssp',
      name: 'S',
      segtax: 4,
      settings: {},
    }),
  );
  ok(
    await w.call('POST', '/v1/destinations', {
      ...base,
      kind: 'gam',
      code: 'gam',
      name: 'G',
      settings: { key: 'dmp' },
    }),
  );
  ok(await w.call('POST', '/v1/destinations', fileDestination('delta-out', 'csv', 100)));
  ok(await w.call('POST', '/v1/destinations', fileDestination('full-out', 'csv', 100)));
}

let runs = 0;

/**
 * Asks every path about `uid` now: enrichment of a bid request carrying a full grant, page targeting
 * with the browser's cookie (and `headers`), a delta and a full file export.
 *
 * Example: `assert.deepEqual(await probe(w), { enriched: [], page: {}, delta: [['c-123', '', 'remove']], full: false })`
 */
export async function probe(w: World, uid = VISITOR, headers: Record<string, string> = {}): Promise<Probe> {
  const enrichedBody = (await w.call('POST', '/v1/openrtb/enrich?destination=ssp', bidRequest25(WITH_VENDOR)))
    .body as {
    user?: { data?: { id: string; segment: { id: string }[] }[] };
  };
  const ours = enrichedBody.user?.data?.find((d) => d.id === 'opendmp');
  const page = await fetch(`${w.base}/v1/page/targeting?site=${w.siteKey}&destination=gam`, {
    headers: { cookie: `dmp_uid=${uid}`, ...headers },
  });
  assert.equal(page.status, 200, 'page targeting answers');
  const targeting = ((await page.json()) as { targeting: Record<string, string[]> }).targeting;
  const rows = async (code: string, mode: 'full' | 'delta'): Promise<string[][]> => {
    const runId = `${code}-${++runs}`;
    assert.equal((await runViaApi(w, code, { runId, mode })).status, 'succeeded');
    const files = await exportFiles(w, code, runId);
    return [...files]
      .filter(([name]) => name.startsWith('part-'))
      .flatMap(([, bytes]) => gunzipText(bytes).split('\n').slice(1, -1))
      .map((line) => line.split(','))
      .filter((row) => row[0] === uid);
  };
  return {
    enriched: ours?.segment.map((s) => s.id) ?? [],
    page: targeting,
    delta: await rows('delta-out', 'delta'),
    full: (await rows('full-out', 'full')).length > 0,
  };
}

/** The probe of a visitor who may receive `pricing_fans`, first sent in this delta (`sentBefore` false). */
export function granted(sentBefore: boolean, uid = VISITOR): Probe {
  return {
    enriched: ['607'],
    page: { dmp: ['607'] },
    delta: sentBefore ? [] : [[uid, '607', 'add']],
    full: true,
  };
}

/** The probe of a visitor who refused: removed in this delta when it was sent before (`removedNow`). */
export function refused(removedNow: boolean, uid = VISITOR): Probe {
  return { enriched: [], page: {}, delta: removedNow ? [[uid, '', 'remove']] : [], full: false };
}

/**
 * A pixel hit of the visitor's browser (its cookie) with these query parameters and headers.
 *
 * Example: `await pixel(w, '&us_privacy=1YYN')`
 */
export async function pixel(
  w: World,
  query: string,
  headers: Record<string, string> = {},
  uid = VISITOR,
): Promise<void> {
  const url = encodeURIComponent('https://shop.example.com/pricing');
  const answer = await fetch(`${w.base}/px?site=${w.siteKey}&url=${url}${query}`, {
    headers: { cookie: `dmp_uid=${uid}`, ...headers },
  });
  assert.equal(answer.status, 200, 'the pixel answers');
  await answer.arrayBuffer();
}
