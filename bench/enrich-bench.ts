import type { App } from '../src/app.ts';
import { enrichBidRequest, gamKeyValues, mapSegments, userDataEntry } from '../src/core/activation/index.ts';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import { percentile } from './measure.ts';
import { writeMemberships } from './redis-memberships.ts';
import { sampleUids } from './lookup-bench.ts';

/**
 * OpenRTB enrichment and the GAM page endpoint for one visitor, in process, against the same work backed
 * by Redis (SMEMBERS for the visitor's segments, then the same mapping and enrichment code).
 * Example: `await enrichBench(app, 'bench', 500, 5_000)`.
 */
export async function enrichBench(
  app: App,
  tenant: string,
  visitors: number,
  calls: number,
): Promise<BenchResult[]> {
  const segments = [...app.qualify.rules(tenant).segmentDefinitions()].slice(0, 50).map((s) => s.code);
  const mapping = segments.map((segment, i) => ({ segment, id: `s${i}` }));
  const common = {
    segments: mapping,
    idType: 'uid',
    consent: { purposes: [1, 3, 4] },
    restrictions: [],
    name: 'bench',
  };
  for (const [code, kind, settings] of [
    ['bench-ssp', 'openrtb', {}],
    ['bench-gam', 'gam', { key: 'dmp' }],
  ] as const) {
    if ((await app.catalog.getDestination(tenant, code)) === undefined) {
      await app.destinations.save(tenant, { ...common, code, kind, settings }, 'bench');
    }
  }
  const ssp = await app.destinations.get(tenant, 'bench-ssp');
  const uids = sampleUids(app, tenant, visitors);
  const memberships = new Map(
    uids.map((uid) => [uid, app.profileService.segments(tenant, { uid }).segments]),
  );
  const redis = await writeMemberships(memberships);
  const request = (uid: string) => ({
    id: 'r',
    imp: [{ id: '1', banner: { w: 300, h: 250 } }],
    user: { id: uid },
  });
  const viaRedis = async (uid: string) => {
    const memberOf = new Set(await redis.redis.smembers(redis.key(uid)));
    const mapped = mapSegments(ssp, memberOf);
    if (mapped.segmentIds.length === 0) return request(uid);
    return enrichBidRequest(request(uid), userDataEntry('opendmp.local', mapped.segmentIds));
  };
  const gamViaRedis = async (uid: string) => {
    const mapped = mapSegments(ssp, new Set(await redis.redis.smembers(redis.key(uid))));
    return gamKeyValues([{ key: 'dmp', values: mapped.segmentIds }]).targeting;
  };
  try {
    for (const uid of uids.slice(0, 50)) {
      const ours = (await app.realtime.enrich(tenant, 'bench-ssp', request(uid))).request;
      sameAnswer(`enrichment of ${uid}`, ours, await viaRedis(uid));
      const page = await app.realtime.page(tenant, 'bench-gam', uid, undefined);
      sameAnswer(
        `GAM targeting of ${uid}`,
        'targeting' in page ? page.targeting : undefined,
        await gamViaRedis(uid),
      );
    }
    const times = {
      enrich: [new Float64Array(calls), new Float64Array(calls)],
      page: [new Float64Array(calls), new Float64Array(calls)],
    };
    for (let i = 0; i < calls; i++) {
      const uid = uids[i % uids.length]!;
      let t = process.hrtime.bigint();
      await app.realtime.enrich(tenant, 'bench-ssp', request(uid));
      times.enrich[0]![i] = Number(process.hrtime.bigint() - t) / 1000;
      t = process.hrtime.bigint();
      await viaRedis(uid);
      times.enrich[1]![i] = Number(process.hrtime.bigint() - t) / 1000;
      t = process.hrtime.bigint();
      await app.realtime.page(tenant, 'bench-gam', uid, undefined);
      times.page[0]![i] = Number(process.hrtime.bigint() - t) / 1000;
      t = process.hrtime.bigint();
      await gamViaRedis(uid);
      times.page[1]![i] = Number(process.hrtime.bigint() - t) / 1000;
    }
    const size = `${count(app.qualify.profilesOf(tenant).count())} profiles, ${count(calls)} calls, 50 mapped segments`;
    return (['enrich', 'page'] as const).flatMap((what) =>
      [50, 99].map((p) =>
        row({
          path: `${what === 'enrich' ? 'OpenRTB enrichment' : 'GAM page targeting'}, in process, p${p}`,
          size,
          ours: Math.round(percentile(times[what][0]!, p) * 100) / 100,
          peer: Math.round(percentile(times[what][1]!, p) * 100) / 100,
          unit: 'us',
          better: 'lower',
          target: p === 99 ? 'p99 <= 1 ms' : '(p50 reported)',
          meets: p === 99 ? (o) => o <= 1000 : undefined,
          note: 'peer: the same mapping and enrichment with the segments from Redis SMEMBERS',
        }),
      ),
    );
  } finally {
    await redis.close();
  }
}
