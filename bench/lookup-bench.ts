import type { App } from '../src/app.ts';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import { percentile } from './measure.ts';
import { writeMemberships } from './redis-memberships.ts';

/**
 * Up to `n` visitor IDs spread evenly over the tenant's profiles (deterministic).
 * Example: `sampleUids(app, 'bench', 1000)` -> `['c-1a2b...', ...]`.
 */
export function sampleUids(app: App, tenant: string, n: number): string[] {
  const profiles = app.qualify.profilesOf(tenant);
  const all: number[] = [];
  profiles.forEach((p) => all.push(p));
  const step = Math.max(1, all.length / n);
  const uids: string[] = [];
  for (let i = 0; i < all.length && uids.length < n; i += step)
    uids.push(profiles.uidOf(all[Math.floor(i)]!));
  return uids;
}

/**
 * Segment lookup for one visitor in process (`app.profileService.segments`) against `SMEMBERS` over
 * ioredis on the same memberships, written to Redis first. Lookups alternate in rounds; every answer is
 * compared once. Rows: p50 and p99 in microseconds.
 * Example: `await lookupBench(t.app, t.tenant, 2_000, 20_000)`.
 */
export async function lookupBench(
  app: App,
  tenant: string,
  visitors: number,
  lookups: number,
): Promise<BenchResult[]> {
  const uids = sampleUids(app, tenant, visitors);
  const memberships = new Map(
    uids.map((uid) => [uid, app.profileService.segments(tenant, { uid }).segments]),
  );
  const redis = await writeMemberships(memberships);
  try {
    for (const uid of uids) {
      const ours = [...(memberships.get(uid) ?? [])].sort();
      const peer = (await redis.redis.smembers(redis.key(uid))).sort();
      sameAnswer(`segment lookup of ${uid}`, ours, peer);
    }
    const ours = new Float64Array(lookups);
    const peer = new Float64Array(lookups);
    const chunk = 1_000;
    let sink = 0;
    for (let start = 0; start < lookups; start += chunk) {
      const end = Math.min(lookups, start + chunk);
      for (let i = start; i < end; i++) {
        const uid = uids[i % uids.length]!;
        const t = process.hrtime.bigint();
        sink += app.profileService.segments(tenant, { uid }).segments.length;
        ours[i] = Number(process.hrtime.bigint() - t) / 1000;
      }
      for (let i = start; i < end; i++) {
        const key = redis.key(uids[i % uids.length]!);
        const t = process.hrtime.bigint();
        sink -= (await redis.redis.smembers(key)).length;
        peer[i] = Number(process.hrtime.bigint() - t) / 1000;
      }
    }
    sameAnswer('segment lookups (memberships seen in all)', sink, 0);
    const size = `${count(app.qualify.profilesOf(tenant).count())} profiles, ${count(lookups)} lookups`;
    const note =
      `peer: SMEMBERS over ioredis on 127.0.0.1:6379, ${count(uids.length)} visitors looked up ` +
      `${Math.round(lookups / uids.length)} times each: after the first, ours answers from the membership cache (valid until a window edge or a change)`;
    return [50, 99].map((p) =>
      row({
        path: `segment lookup, in process, p${p}`,
        size,
        ours: round2(percentile(ours, p)),
        peer: round2(percentile(peer, p)),
        unit: 'us',
        better: 'lower',
        target: p === 50 ? 'p50 <= 5 us' : '(p99 reported)',
        meets: p === 50 ? (o) => o <= 5 : undefined,
        note,
      }),
    );
  } finally {
    await redis.close();
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
