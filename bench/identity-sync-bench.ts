import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import type { ChildServer } from './child-server.ts';
import { startDmpServer } from './child-server.ts';
import { runLoad } from './http-load.ts';
import type { Answer, Call } from './identity-sync-load.ts';
import { runRoundTrips } from './identity-sync-load.ts';
import { median, processCpuMs } from './measure.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const SHOP = 'https://shop.example.com';
const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const PAGE = encodeURIComponent('https://shop.example.com/pricing/plans?utm_source=news&utm_medium=email');
/** partners of the tenant; the page asks for all of them, one sync a page (`limit: 1`) */
const PARTNERS = Array.from({ length: 8 }, (_, k) => ({
  code: `ssp_${k}`,
  name: `SSP ${k}`,
  syncUrl: `https://ssp-${k}.example/sync?gdpr=\${GDPR}&gdpr_consent=\${GDPR_CONSENT_${700 + k}}&us_privacy=\${US_PRIVACY}&redir=\${REDIRECT}`,
  type: 'redirect',
  vendorId: 700 + k,
  resyncDays: 14,
}));
const VISITORS = 5_000;

interface SyncAnswer {
  status: string;
  bidder_status: { bidder: string }[];
}

/** A JSON call to the admin API of the server. */
async function admin(
  port: number,
  apiKey: string,
  method: string,
  path: string,
  body: unknown,
): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status >= 300)
    throw new Error(`identity sync bench: ${method} ${path}: ${res.status} ${await res.text()}`);
}

/** Profiles holding an ID of each partner (`GET /v1/partners/{code}/match-rate`), summed. */
async function matched(port: number, apiKey: string): Promise<number> {
  let n = 0;
  for (const { code } of PARTNERS) {
    const res = await fetch(`http://127.0.0.1:${port}/v1/partners/${code}/match-rate`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    n += ((await res.json()) as { matched: number }).matched;
  }
  return n;
}

/**
 * A sync round trip against the pixel, on the same server, over HTTP on loopback: `dmp serve` (a fresh
 * tenant with 8 partners and its site key allowed from the shop's origin) driven alternately by the
 * pixel's load (`GET /px`, as the pixel bench sends it) and by round trips of a browser whose page
 * syncs one partner: `POST /cookie_sync` (with the visitor's `dmp_uid` cookie and the shop's `Origin`,
 * the body as Prebid.js sends it: every partner, `gdpr: 0`, `limit: 1`), then `GET /setuid` for the
 * partner the answer lists, with a new ID. 5,000 visitors, first seen through a pixel each (not
 * measured), so each round trip syncs a partner the visitor does not hold yet. Figure: the server's
 * own CPU per pixel and per round trip from `/proc/PID/stat` (the pixel bench's method), median of 3
 * alternate rounds at `concurrency` connections, as many HTTP requests a side (`requests`: pixels, and
 * half as many round trips). Checks every answer (200s; each sync answer lists a partner) and that the
 * partners' match rates count one ID per round trip.
 * `start` starts the server (to profile it, start it with `--cpu-prof`). Example: `await identitySyncBench(20_000, 16)`.
 */
export async function identitySyncBench(
  requests: number,
  concurrency: number,
  start: (dataDir: string) => Promise<ChildServer> = startDmpServer,
): Promise<BenchResult[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'opendmp-bench-idsync-'));
  let server: ChildServer | undefined;
  try {
    const { stdout } = await run(process.execPath, [
      join(ROOT, 'bin/dmp.js'),
      'tenant',
      'create',
      'bench',
      '--data',
      dataDir,
    ]);
    const created = JSON.parse(stdout) as { apiKey: string; siteKey: string };
    server = await start(dataDir);
    const { port } = server;
    await admin(port, created.apiKey, 'PUT', `/v1/site-keys/${created.siteKey}`, { origins: [SHOP] });
    for (const partner of PARTNERS) await admin(port, created.apiKey, 'POST', '/v1/partners', partner);
    const roundTripsWanted = Math.ceil(requests / 2) + Math.min(1_000, Math.ceil(requests / 10));
    if (roundTripsWanted > VISITORS * PARTNERS.length)
      throw new Error(
        `identity sync bench: ${roundTripsWanted} round trips need more than ${VISITORS} visitors x ${PARTNERS.length} partners`,
      );
    let synced = 0; // round trips sent so far; the visitor of round trip k is `visitor(k)`
    const visitor = (i: number): string => `u-${i % VISITORS}`;
    const pixel = (n: number) =>
      runLoad({
        port,
        path: (i) => `/px?site=${created.siteKey}&uid=${visitor(i)}&url=${PAGE}`,
        headers: { 'user-agent': UA, referer: `${SHOP}/` },
        requests: n,
        concurrency,
      });
    await pixel(VISITORS); // every visitor seen once
    const syncBody = JSON.stringify({ bidders: PARTNERS.map((p) => p.code), gdpr: 0, limit: 1 });
    const failures: string[] = [];
    const roundTrips = (n: number) => {
      const base = synced;
      synced += n;
      return runRoundTrips({
        port,
        roundTrips: n,
        concurrency,
        first: (i): Call => ({
          method: 'POST',
          path: `/cookie_sync?site=${created.siteKey}`,
          headers: {
            'content-type': 'text/plain',
            origin: SHOP,
            cookie: `dmp_uid=${visitor(base + i)}`,
            'user-agent': UA,
          },
          body: syncBody,
        }),
        then: (i, answer: Answer): Call => {
          const bidder =
            answer.status === 200
              ? (JSON.parse(answer.body) as SyncAnswer).bidder_status[0]?.bidder
              : undefined;
          if (bidder === undefined && failures.length < 3)
            failures.push(`${answer.status} ${answer.body.slice(0, 200)}`);
          const uid = `${bidder ?? 'none'}-${base + i}`;
          return {
            method: 'GET',
            path: `/setuid?site=${created.siteKey}&bidder=${bidder ?? 'none'}&gdpr=0&f=i&uid=${uid}`,
            headers: {
              cookie: `dmp_uid=${visitor(base + i)}`,
              'user-agent': UA,
              referer: 'https://ssp.example/',
            },
          };
        },
      });
    };
    const statuses: Record<string, number> = {};
    const measure = async (side: 'pixel' | 'sync', n: number): Promise<number> => {
      const before = processCpuMs(server!.pid);
      const result = side === 'pixel' ? await pixel(n) : await roundTrips(n);
      const cpu = processCpuMs(server!.pid) - before;
      for (const [status, k] of Object.entries(result.statuses)) {
        const key = side === 'pixel' ? `px:${status}` : status;
        statuses[key] = (statuses[key] ?? 0) + k;
      }
      const done = 'roundTrips' in result ? result.roundTrips : result.requests;
      return (cpu * 1000) / done;
    };
    const warm = Math.min(1_000, Math.ceil(requests / 10));
    await measure('pixel', warm);
    await measure('sync', warm);
    const rounds = 3;
    const pixelUs: number[] = [];
    const syncUs: number[] = [];
    const per = Math.ceil(requests / 2 / rounds);
    for (let r = 0; r < rounds; r++) {
      pixelUs.push(await measure('pixel', 2 * per));
      syncUs.push(await measure('sync', per));
    }
    if (failures.length > 0)
      throw new Error(`identity sync bench: /cookie_sync listed no partner: ${failures.join('; ')}`);
    const pixels = warm + 2 * per * rounds;
    sameAnswer('identity sync (statuses)', Object.entries(statuses).sort(), [
      ['px:200', pixels],
      ['setuid:200', synced],
      ['sync:200', synced],
    ]);
    sameAnswer(
      'identity sync (partner IDs held: one per round trip)',
      await matched(port, created.apiKey),
      synced,
    );
    return [
      row({
        path: 'identity: sync round trip (/cookie_sync + /setuid) vs a pixel',
        size: `${count(synced)} round trips, ${count(pixels)} pixels, ${concurrency} connections`,
        ours: round1(median(syncUs)),
        peer: round1(median(pixelUs)),
        unit: 'us CPU/round trip (peer: /pixel)',
        better: 'lower',
        target: '>= the pixel rate per core (ratio >= 1)',
        meets: (_o, r) => r !== null && r >= 1,
        note:
          `one server (dmp serve), the same loopback load alternately (the pixel bench's method): server CPU from /proc/PID/stat, ` +
          `median of ${rounds} rounds; a round trip = POST /cookie_sync (8 partners asked, limit 1, gdpr 0, cookie and Origin) ` +
          `+ GET /setuid of the partner listed (a new ID: one idsync event logged); pixels ${(1e6 / median(pixelUs)).toFixed(0)}/s/core, ` +
          `round trips ${(1e6 / median(syncUs)).toFixed(0)}/s/core; per request (2 a round trip) ${round1(median(syncUs) / 2)} us CPU, ` +
          `${(median(pixelUs) / (median(syncUs) / 2)).toFixed(2)}x the pixel's rate`,
      }),
    ];
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
