import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../src/app.ts';
import { createApp } from '../src/app.ts';
import { defaultLimits, parseEventBody } from '../src/collect/index.ts';
import { loadConfig } from '../src/config/config.ts';
import type { RawDemoEvent } from '../src/demo/generate-demo.ts';
import { generateDemo } from '../src/demo/generate-demo.ts';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import { maidOf, sha256 } from './identity-ids.ts';
import { installRules } from './install-rules.ts';
import { cpuMs } from './measure.ts';

/** A program on a temp folder with the data set's rules, for one side of the bench. */
interface Side {
  app: App;
  tenant: string;
  dir: string;
  cpuMs: number;
  accepted: number;
  /** events of the timed batches */
  timedEvents: number;
}

/**
 * The IDs an event of the visitor first seen `o`-th carries besides its cookie, on every event (an app
 * SDK or a logged-in site sends them each time): visitors 10m and 10m+1 share an e-mail hash (one
 * person on a laptop and a phone: the second one's first event merges them), 10m+5 and 10m+6 a MAID
 * with their cookies (an app and its web view: merged too), 10m+2..4 have an e-mail hash of their own;
 * one in 2 has a partner ID of `ssp_a`, one in 3 of `ssp_b`. The demo's own `maid` and `partner_ttd`
 * (on the first event of a visit) stay, except where a shared MAID takes the `maid`.
 * Example: `extraIds(0)` -> `{ email_sha256: '...', ssp_a: 'A-0', ssp_b: 'B-0' }`.
 */
export function extraIds(o: number): Record<string, string> {
  const ids: Record<string, string> = {};
  const m = Math.floor(o / 10);
  const r = o % 10;
  if (r <= 1) ids.email_sha256 = sha256(`person-${m}@example.com`);
  else if (r <= 4) ids.email_sha256 = sha256(`visitor-${o}@example.com`);
  else if (r <= 6) ids.maid = maidOf(m);
  if (o % 2 === 0) ids.ssp_a = `A-${o}`;
  if (o % 3 === 0) ids.ssp_b = `B-${o}`;
  return ids;
}

/** How many pairs of `extraIds` visitors below `visitors` merge (both members seen). */
function expectedMerges(visitors: number): number {
  let merges = 0;
  for (let m = 0; m * 10 < visitors; m++)
    merges += (10 * m + 1 < visitors ? 1 : 0) + (10 * m + 6 < visitors ? 1 : 0);
  return merges;
}

async function openSide(now: number, demo: ReturnType<typeof generateDemo>, name: string): Promise<Side> {
  const dir = await mkdtemp(join(tmpdir(), `opendmp-bench-identity-${name}-`));
  const app = await createApp(loadConfig({ dataDir: dir, logLevel: 'silent' }, {}), { now: () => now });
  const { tenant } = await app.catalog.createTenant('bench');
  await installRules(app, tenant, demo.traits, demo.segments);
  return { app, tenant, dir, cpuMs: 0, accepted: 0, timedEvents: 0 };
}

/**
 * One batch through the pipeline as `POST /v1/events` takes it (the ingestion bench's method); its CPU
 * time is counted when `timed`.
 */
async function ingestBatch(side: Side, body: Buffer, timed: boolean): Promise<void> {
  const t = cpuMs();
  const parsed = parseEventBody(body, 'application/x-ndjson', defaultLimits);
  if ('error' in parsed) throw new Error(`identity ingestion: batch refused: ${parsed.error}`);
  const result = await side.app.ingest.ingest(side.tenant, parsed, { trusted: true });
  if (timed) {
    side.cpuMs += cpuMs() - t;
    side.timedEvents += result.accepted;
  }
  const rejected = result.rejected[0];
  if (rejected !== undefined) throw new Error(`identity ingestion: event rejected: ${rejected.error}`);
  side.accepted += result.accepted;
}

/**
 * Ingestion with IDs and merges against ingestion without: the first `events` events of the standard
 * data set (`profiles` profiles, its 1,000 traits and 200 segments installed on both sides), sent
 * through the whole pipeline (`parseEventBody` + `app.ingest.ingest`: validate, enrich, log with
 * `fdatasync`, link IDs and merge, qualify) into two fresh programs: once with only `uid` (every
 * `ids` removed), once with `extraIds` added to every event (e-mail hashes, MAIDs, two partners' IDs;
 * some shared, so profiles merge). Batches of 5,000 alternate between the sides (which goes first
 * alternates too); CPU time of this process per side, the first batch untimed (it compiles the code). Checks both accepted every event, the side
 * with IDs holds exactly the expected merges fewer profiles, and each merged pair's cookies resolve to
 * one profile there and to two without. Example: `await identityIngestBench(50_000, 100_000)`.
 */
export async function identityIngestBench(profiles: number, events: number): Promise<BenchResult[]> {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const demo = generateDemo({ profiles, days: 90, seed: 7, now, ruleTraits: 1_000, segments: 200 });
  const taken: RawDemoEvent[] = [];
  for (const day of demo.days()) {
    taken.push(...day.slice(0, events - taken.length));
    if (taken.length >= events) break;
  }
  const ordinal = new Map<string, number>();
  for (const e of taken) if (!ordinal.has(e.uid)) ordinal.set(e.uid, ordinal.size);
  const plain = taken.map((e) => JSON.stringify({ ...e, ids: undefined }));
  let idsSent = 0;
  const withIds = taken.map((e) => {
    const ids = { ...e.ids, ...extraIds(ordinal.get(e.uid)!) };
    idsSent += Object.keys(ids).length;
    return JSON.stringify({ ...e, ids });
  });
  const without = await openSide(now, demo, 'plain');
  const withSide = await openSide(now, demo, 'ids');
  try {
    const batch = 5_000;
    for (let start = 0, k = 0; start < taken.length; start += batch, k++) {
      const a = Buffer.from(plain.slice(start, start + batch).join('\n'));
      const b = Buffer.from(withIds.slice(start, start + batch).join('\n'));
      // the first batch warms both sides up (code compiled, caches filled) untimed
      const timed = k > 0;
      if (k % 2 === 0) {
        await ingestBatch(without, a, timed);
        await ingestBatch(withSide, b, timed);
      } else {
        await ingestBatch(withSide, b, timed);
        await ingestBatch(without, a, timed);
      }
    }
    sameAnswer('identity ingestion (events accepted)', withSide.accepted, without.accepted);
    const visitors = ordinal.size;
    const merges = expectedMerges(visitors);
    const plainProfiles = without.app.qualify.profilesOf(without.tenant);
    const idProfiles = withSide.app.qualify.profilesOf(withSide.tenant);
    sameAnswer('identity ingestion (profiles without IDs)', plainProfiles.count(), visitors);
    sameAnswer(
      'identity ingestion (profiles with IDs: visitors - merges)',
      idProfiles.count(),
      visitors - merges,
    );
    const cookies = [...ordinal.keys()];
    for (let m = 0; m * 10 + 6 < visitors; m++) {
      for (const [x, y] of [
        [10 * m, 10 * m + 1],
        [10 * m + 5, 10 * m + 6],
      ] as const) {
        const [u, v] = [cookies[x]!, cookies[y]!];
        sameAnswer(`merged pair ${u} ${v}`, idProfiles.find('uid', u), idProfiles.find('uid', v));
        if (plainProfiles.find('uid', u) === plainProfiles.find('uid', v))
          throw new Error(`identity ingestion: ${u} and ${v} share a profile without IDs`);
      }
    }
    const rate = (side: Side): number => Math.round(side.timedEvents / (side.cpuMs / 1000));
    return [
      row({
        path: 'identity: ingestion with IDs and merges (vs uid only)',
        size: `${count(visitors)} visitors, ${count(without.timedEvents)} of ${count(without.accepted)} events timed, ${count(merges)} merges`,
        ours: rate(withSide),
        peer: rate(without),
        unit: 'events/s/core',
        better: 'higher',
        target: 'within 10% of without IDs (ratio >= 0.91)',
        meets: (_o, r) => r !== null && r >= 1 / 1.1,
        note:
          `the same events of the standard data set (1,000 traits) through parseEventBody + app.ingest.ingest, ` +
          `batches of 5,000 alternating, the first one untimed (warm-up); peer: only uid; ours: ${(idsSent / taken.length).toFixed(2)} IDs an event besides uid ` +
          `(e-mail hashes, MAIDs, ssp_a, ssp_b), pairs sharing an e-mail hash or a MAID merged; CPU time of this process`,
      }),
    ];
  } finally {
    for (const side of [without, withSide]) {
      await side.app.close();
      await rm(side.dir, { recursive: true, force: true });
    }
  }
}
