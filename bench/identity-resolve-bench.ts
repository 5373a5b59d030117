import { MemoryTenantProfiles } from '../src/profiles/memory-tenant-profiles.ts';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import type { BenchId } from './identity-ids.ts';
import { benchIds, random, shuffled } from './identity-ids.ts';
import { percentile } from './measure.ts';

const LEARNT_AT = Date.UTC(2026, 10, 20);

/**
 * Resolving an ID to a profile in process: the profile store's `find(type, value)` (`TenantProfiles`,
 * the embedded store's ID index) against a `Map` of `TYPE\0VALUE` -> profile holding the same IDs (the
 * key built per lookup, as a caller would). `profiles` profiles of `benchIds` (uid, maid, e-mail hash,
 * partner ID) are made in random order through `resolve(uid, ids, true)`, as events make them; then
 * `lookups` held IDs drawn at random over every profile and type are looked up, ours and the peer in
 * alternate chunks of 1,000, each call timed alone (`process.hrtime.bigint`, whose own cost of about
 * 0.05-0.1 us is in both sides). Every answer is compared. Rows: p50 and p99 in microseconds.
 * Example: `identityResolveBench(1_000_000, 200_000)`.
 */
export function identityResolveBench(profiles: number, lookups: number): BenchResult[] {
  const store = new MemoryTenantProfiles();
  const peer = new Map<string, number>();
  const keyOf = (type: string, value: string): string => `${type}\u0000${value}`;
  for (const i of shuffled(profiles, random(7))) {
    const [[, uid], ...others] = benchIds(i) as [BenchId, ...BenchId[]];
    const p = store.resolve(uid, Object.fromEntries(others), true, LEARNT_AT);
    if (p === undefined) throw new Error(`identity resolve: profile ${i} was not made`);
    for (const [type, value] of benchIds(i)) peer.set(keyOf(type, value), p);
  }
  const rnd = random(11);
  const queries: BenchId[] = [];
  while (queries.length < lookups) {
    const ids = benchIds(Math.floor(rnd() * profiles));
    queries.push(ids[Math.floor(rnd() * ids.length)]!);
  }
  for (const [type, value] of queries)
    sameAnswer(`resolve ${type} ${value}`, store.find(type, value), peer.get(keyOf(type, value)));
  const ours = new Float64Array(lookups);
  const theirs = new Float64Array(lookups);
  let sink = 0;
  for (let start = 0; start < lookups; start += 1_000) {
    const end = Math.min(lookups, start + 1_000);
    for (let i = start; i < end; i++) {
      const [type, value] = queries[i]!;
      const t = process.hrtime.bigint();
      sink += store.find(type, value) ?? 0;
      ours[i] = Number(process.hrtime.bigint() - t) / 1000;
    }
    for (let i = start; i < end; i++) {
      const [type, value] = queries[i]!;
      const t = process.hrtime.bigint();
      sink -= peer.get(keyOf(type, value)) ?? 0;
      theirs[i] = Number(process.hrtime.bigint() - t) / 1000;
    }
  }
  sameAnswer('resolve (sum of the profiles found)', sink, 0);
  sameAnswer('resolve (profiles made)', store.count(), profiles);
  const size = `${count(profiles)} profiles, ${count(peer.size)} IDs, ${count(lookups)} lookups`;
  const note =
    'TenantProfiles.find(type, value) of held IDs drawn at random over every type (uid, maid, email_sha256, ssp_a); ' +
    'peer: Map.get(TYPE\\0VALUE) on the same IDs, key built per call; each call timed alone, hrtime included on both sides';
  return [50, 99].map((p) =>
    row({
      path: `identity: resolve an ID to a profile, in process, p${p}`,
      size,
      ours: round2(percentile(ours, p)),
      peer: round2(percentile(theirs, p)),
      unit: 'us',
      better: 'lower',
      target: p === 50 ? 'p50 <= 2 us' : '(p99 reported)',
      meets: p === 50 ? (o) => o <= 2 : undefined,
      note,
    }),
  );
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
