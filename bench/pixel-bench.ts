import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import type { ChildServer } from './child-server.ts';
import { BENCH_METRICS_TOKEN, startBenchServer, startDmpServer } from './child-server.ts';
import type { LoadOptions } from './http-load.ts';
import { runLoad } from './http-load.ts';
import { median, processCpuMs } from './measure.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const PAGE = encodeURIComponent('https://shop.example.com/pricing/plans?utm_source=news&utm_medium=email');

/**
 * Pixel collection, durable: our server (`dmp serve`, a fresh tenant) against a no-op `node:http`
 * server and a durable no-op (the same, answering once the request's URL is group-committed to a file
 * with `fdatasync`, as ours answers once the event is), all child processes, driven alternately by the
 * same keep-alive load. Figure: each server's own CPU time per request from `/proc/PID/stat`. Checks
 * every answer was a 200 and every server counted every request (ours: `dmp_events_accepted_total`, so
 * every pixel was stored durably). Rows: ours against the no-op (the target), and against the durable
 * no-op (what is left once durability is paid by both).
 * Example: `await pixelBench(20_000, 16)`.
 */
export async function pixelBench(requests: number, concurrency: number): Promise<BenchResult[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'opendmp-bench-pixel-'));
  let ours: ChildServer | undefined;
  let noop: ChildServer | undefined;
  let durable: ChildServer | undefined;
  try {
    const { stdout } = await run(process.execPath, [
      join(ROOT, 'bin/dmp.js'),
      'tenant',
      'create',
      'bench',
      '--data',
      dataDir,
    ]);
    const created = JSON.parse(stdout) as { tenant: string; apiKey: string; siteKey: string };
    ours = await startDmpServer(dataDir);
    noop = await startBenchServer('noop-server.ts', [], {});
    durable = await startBenchServer('durable-noop-server.ts', [dataDir], {});
    const load = (server: ChildServer, n: number): LoadOptions => ({
      port: server.port,
      path: (i) => `/px?site=${created.siteKey}&uid=u-${i % 5_000}&url=${PAGE}`,
      headers: { 'user-agent': UA, referer: 'https://shop.example.com/' },
      requests: n,
      concurrency,
    });
    const sent = { ours: 0, noop: 0, durable: 0 };
    const statuses = {
      ours: {} as Record<number, number>,
      noop: {} as Record<number, number>,
      durable: {} as Record<number, number>,
    };
    const measure = async (
      server: ChildServer,
      side: 'ours' | 'noop' | 'durable',
      n: number,
    ): Promise<number> => {
      const before = processCpuMs(server.pid);
      const result = await runLoad(load(server, n));
      const cpu = processCpuMs(server.pid) - before;
      sent[side] += result.requests;
      for (const [status, k] of Object.entries(result.statuses))
        statuses[side][Number(status)] = (statuses[side][Number(status)] ?? 0) + k;
      return (cpu * 1000) / result.requests;
    };
    await measure(ours, 'ours', Math.min(2_000, Math.ceil(requests / 5)));
    await measure(noop, 'noop', Math.min(2_000, Math.ceil(requests / 5)));
    await measure(durable, 'durable', Math.min(2_000, Math.ceil(requests / 5)));
    const oursUs: number[] = [];
    const noopUs: number[] = [];
    const durableUs: number[] = [];
    const rounds = 3;
    for (let r = 0; r < rounds; r++) {
      oursUs.push(await measure(ours, 'ours', Math.ceil(requests / rounds)));
      noopUs.push(await measure(noop, 'noop', Math.ceil(requests / rounds)));
      durableUs.push(await measure(durable, 'durable', Math.ceil(requests / rounds)));
    }
    sameAnswer('pixel (statuses)', Object.keys(statuses.ours), ['200']);
    sameAnswer('no-op server (statuses)', Object.keys(statuses.noop), ['200']);
    sameAnswer('durable no-op server (statuses)', Object.keys(statuses.durable), ['200']);
    const stored = await acceptedEvents(ours.port);
    const counted = async (server: ChildServer) =>
      Number(await (await fetch(`http://127.0.0.1:${server.port}/count`)).text());
    sameAnswer(
      'pixel (requests counted by each server)',
      [stored, await counted(noop), await counted(durable)],
      [sent.ours, sent.noop, sent.durable],
    );
    return [
      row({
        path: 'pixel collection, durable',
        size: `${count(sent.ours)} pixels, ${concurrency} connections`,
        ours: round1(median(oursUs)),
        peer: round1(median(noopUs)),
        unit: 'us CPU/request',
        better: 'lower',
        target: 'CPU <= 1.5x no-op (ratio >= 0.67)',
        meets: (_o, r) => r !== null && r >= 1 / 1.5,
        note: `server CPU from /proc/PID/stat (10 ms ticks), median of ${rounds} alternate rounds; request logging and rate limits off`,
      }),
      row({
        path: 'pixel collection, against a durable no-op',
        size: `${count(sent.ours)} pixels, ${concurrency} connections`,
        ours: round1(median(oursUs)),
        peer: round1(median(durableUs)),
        unit: 'us CPU/request',
        better: 'lower',
        target: 'no target: what durability costs the no-op (the no-op row against this one)',
        note: `the same rounds; the peer answers once the request's URL is written and fdatasync'd (group commit), nothing else; the no-op's median ${round1(median(noopUs))} us`,
      }),
    ];
  } finally {
    await ours?.stop();
    await noop?.stop();
    await durable?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Events stored, all tenants (the server holds only the bench's). */
async function acceptedEvents(port: number): Promise<number> {
  const headers = { authorization: `Bearer ${BENCH_METRICS_TOKEN}` };
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers })).text();
  const line = text.split('\n').find((l) => l.startsWith('dmp_events_accepted_total '));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
