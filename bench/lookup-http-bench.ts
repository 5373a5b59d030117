import type { App } from '../src/app.ts';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import type { ChildServer } from './child-server.ts';
import { startBenchServer, startDmpServer } from './child-server.ts';
import { runLoad } from './http-load.ts';
import { sampleUids } from './lookup-bench.ts';
import { median, percentile, processCpuMs } from './measure.ts';
import { writeMemberships } from './redis-memberships.ts';

const HOUR_MS = 3_600_000;

/** What the HTTP lookup bench asks and expects, computed in process before the program stops. */
export interface LookupSample {
  dataDir: string;
  apiKey: string;
  /** visitor -> segment codes, the same at `now` and an hour later (so a server started later agrees) */
  memberships: Map<string, string[]>;
}

/**
 * Picks up to `n` visitors whose segments do not change in the hour after `now` (a window boundary
 * crossing during the run would make the two servers disagree for a reason that is not a fault).
 * Example: `stableMemberships(app, tenant, now, 5_000)`.
 */
export function stableMemberships(app: App, tenant: string, now: number, n: number): Map<string, string[]> {
  const profiles = app.qualify.profilesOf(tenant);
  const memberships = new Map<string, string[]>();
  for (const uid of sampleUids(app, tenant, n)) {
    const p = profiles.find('uid', uid);
    if (p === undefined) continue;
    const at = app.qualify.segmentsOf(tenant, p, now);
    const later = app.qualify.segmentsOf(tenant, p, now + HOUR_MS);
    if (JSON.stringify(at) === JSON.stringify(later)) memberships.set(uid, at);
  }
  return memberships;
}

/**
 * Segment lookup over HTTP: our server (`dmp serve` on the loaded data) against a tiny `node:http`
 * server answering the same route from Redis, alternately, at a fixed concurrency. Every visitor's
 * answer is checked on both first. Rows: throughput (requests/s, wall) and p99 latency.
 * Example: `await lookupHttpBench(sample, 20_000, 16)`.
 */
export async function lookupHttpBench(
  sample: LookupSample,
  requests: number,
  concurrency: number,
): Promise<BenchResult[]> {
  const uids = [...sample.memberships.keys()];
  if (uids.length === 0) throw new Error('bench lookup over HTTP: no visitor to ask about');
  const redis = await writeMemberships(sample.memberships);
  let ours: ChildServer | undefined;
  let peer: ChildServer | undefined;
  try {
    ours = await startDmpServer(sample.dataDir);
    peer = await startBenchServer('redis-segments-server.ts', [], {
      BENCH_KEY: sample.apiKey,
      BENCH_PREFIX: redis.prefix,
    });
    const headers = { authorization: `Bearer ${sample.apiKey}` };
    const path = (i: number): string => `/v1/profiles/${encodeURIComponent(uids[i % uids.length]!)}/segments`;
    for (const server of [ours, peer]) {
      const check = await runLoad({
        port: server.port,
        path,
        headers,
        requests: uids.length,
        concurrency,
        keepBodies: true,
      });
      check.bodies.forEach((body, i) => {
        const answer = JSON.parse(body) as { segments?: string[] };
        const expected = [...(sample.memberships.get(uids[i]!) ?? [])].sort();
        sameAnswer(
          `segments of ${uids[i]!} over HTTP (port ${server.port})`,
          [...(answer.segments ?? [])].sort(),
          expected,
        );
      });
    }
    const rounds = 3;
    const figures = {
      ours: [] as number[],
      peer: [] as number[],
      oursP99: [] as number[],
      peerP99: [] as number[],
    };
    const cpu = { ours: 0, peer: 0, oursN: 0, peerN: 0 };
    for (let r = 0; r < rounds; r++) {
      for (const [side, server] of [
        ['ours', ours],
        ['peer', peer],
      ] as const) {
        const before = processCpuMs(server.pid);
        const result = await runLoad({
          port: server.port,
          path,
          headers,
          requests: Math.ceil(requests / rounds),
          concurrency,
        });
        cpu[side] += processCpuMs(server.pid) - before;
        cpu[side === 'ours' ? 'oursN' : 'peerN'] += result.requests;
        sameAnswer(`lookup over HTTP (${side}, statuses)`, Object.keys(result.statuses), ['200']);
        figures[side].push(result.requests / (result.wallMs / 1000));
        figures[side === 'ours' ? 'oursP99' : 'peerP99'].push(percentile(result.latenciesUs, 99) / 1000);
      }
    }
    const size = `${count(uids.length)} visitors, ${concurrency} connections`;
    const cpuNote = `server CPU/request: ours ${((cpu.ours * 1000) / cpu.oursN).toFixed(0)} us, Redis-backed ${((cpu.peer * 1000) / cpu.peerN).toFixed(0)} us (plus Redis itself)`;
    return [
      row({
        path: 'segment lookup over HTTP, throughput',
        size,
        ours: Math.round(median(figures.ours)),
        peer: Math.round(median(figures.peer)),
        unit: 'requests/s',
        better: 'higher',
        target: 'ratio >= 1.5 (same route on Redis)',
        meets: (_o, r) => r !== null && r >= 1.5,
        note: `wall-clock, load generator on the same 2 cores; ${cpuNote}; median of ${rounds}`,
      }),
      row({
        path: 'segment lookup over HTTP, p99',
        size,
        ours: Math.round(median(figures.oursP99) * 1000) / 1000,
        peer: Math.round(median(figures.peerP99) * 1000) / 1000,
        unit: 'ms',
        better: 'lower',
        target: 'p99 <= 1 ms at 80% of peak (measured here at full load)',
        note: 'closed loop at full load, not at 80% of peak: no verdict',
      }),
    ];
  } finally {
    await ours?.stop();
    await peer?.stop();
    await redis.close();
  }
}
