import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchResult } from './bench-result.ts';
import { count, row } from './bench-result.ts';
import { writeMemberships } from './redis-memberships.ts';

const run = promisify(execFile);

interface ChildFigures {
  profiles: number;
  pairs: number;
  profileHeap: number;
  profileRss: number;
  pairHeap: number;
  pairRss: number;
  gcPauseMs: number;
  sample: { uid: string; attributes: Record<string, string | number>; traits: [number, number][] }[];
}

/**
 * Memory: bytes per profile and per held (profile, trait) pair, measured in a child process under
 * `--expose-gc` (see memory-child.ts), against Redis's `MEMORY USAGE` of the same sample stored the
 * Redis way: a hash of attributes per profile, a sorted set (trait -> last time) per profile.
 * Example: `await memoryBench(dataDir, 'bench')`.
 */
export async function memoryBench(dataDir: string, tenant: string): Promise<BenchResult[]> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'memory-child.ts'), dataDir, tenant],
    { maxBuffer: 256 * 1024 * 1024, cwd: join(import.meta.dirname, '..') },
  );
  const ours = JSON.parse(stdout) as ChildFigures;
  const redis = await writeMemberships(new Map());
  let profileBytes = 0;
  let pairBytes = 0;
  let pairs = 0;
  try {
    for (const s of ours.sample) {
      const hash = `${redis.prefix}p:${s.uid}`;
      const set = `${redis.prefix}t:${s.uid}`;
      await redis.redis.hset(hash, s.attributes);
      profileBytes += (await redis.redis.memory('USAGE', hash)) ?? 0;
      if (s.traits.length === 0) continue;
      await redis.redis.zadd(set, ...s.traits.flatMap(([trait, last]) => [last, String(trait)]));
      pairBytes += (await redis.redis.memory('USAGE', set)) ?? 0;
      pairs += s.traits.length;
    }
  } finally {
    await redis.close();
  }
  const size = `${count(ours.profiles)} profiles, ${count(ours.pairs)} pairs`;
  const note = `heap + array buffers after full GC; RSS deltas: ${(ours.profileRss / ours.profiles).toFixed(0)} B/profile, ${(ours.pairRss / Math.max(1, ours.pairs)).toFixed(0)} B/pair; Redis: MEMORY USAGE of ${ours.sample.length} profiles' keys`;
  return [
    row({
      path: 'memory per profile',
      size,
      ours: Math.round(ours.profileHeap / ours.profiles),
      peer: Math.round(profileBytes / Math.max(1, ours.sample.length)),
      unit: 'bytes',
      better: 'lower',
      target: '<= 64 bytes per profile',
      meets: (o) => o <= 64,
      note,
    }),
    row({
      path: 'memory per held (profile, trait) pair',
      size,
      ours: Math.round(ours.pairHeap / Math.max(1, ours.pairs)),
      peer: pairs === 0 ? null : Math.round(pairBytes / pairs),
      unit: 'bytes',
      better: 'lower',
      target: '<= 8 bytes per pair',
      meets: (o) => o <= 8,
      note: 'ours holds every realisation time of a pair; the Redis peer only the last',
    }),
    row({
      path: 'full GC pause, everything loaded',
      size,
      ours: Math.round(ours.gcPauseMs * 10) / 10,
      peer: null,
      unit: 'ms',
      better: 'lower',
      target: '< 50 ms at 10M profiles (judged only at 10M)',
      meets: ours.profiles >= 10_000_000 ? (o) => o < 50 : undefined,
      note: 'the longest of three global.gc() calls in the child, two tenants of profiles and one audience index held',
    }),
  ];
}
