import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.ts';
import { count, row } from './bench-result.ts';
import { startDmpServer } from './child-server.ts';

/**
 * Restart, from spawning `dmp serve` on the loaded data folder to its first `/readyz` 200:
 * - after a clean stop: the stop wrote a snapshot of the profiles, the start reads it and replays nothing
 *   (`starts` times; the row gives the last, with the file cache warm as after a stop);
 * - with no snapshot (a copy of the folder without `snapshots/`): the whole log replayed, the worst case
 *   after a crash (the periodic snapshots bound the log a crash replays to `DMP_SNAPSHOT_EVERY_RECORDS`).
 * No peer. Example: `await restartBench(dataDir, 100_000, 2)`.
 */
export async function restartBench(dataDir: string, profiles: number, starts = 2): Promise<BenchResult[]> {
  const times: number[] = [];
  for (let i = 0; i < starts; i++) {
    const server = await startDmpServer(dataDir);
    times.push(server.readyMs);
    await server.stop();
  }
  const bare = `${dataDir}-no-snapshot`;
  await cp(dataDir, bare, { recursive: true });
  await rm(join(bare, 'snapshots'), { recursive: true, force: true });
  let replayMs: number;
  try {
    const server = await startDmpServer(bare);
    replayMs = server.readyMs;
    await server.stop();
  } finally {
    await rm(bare, { recursive: true, force: true });
  }
  const last = times[times.length - 1]!;
  const size = `${count(profiles)} profiles`;
  return [
    row({
      path: 'restart after a clean stop (snapshot)',
      size,
      ours: Math.round(last),
      peer: null,
      unit: 'ms to /readyz',
      better: 'lower',
      target: '<= 10 s at 10M profiles (judged only at 10M)',
      meets: profiles >= 10_000_000 ? (o) => o <= 10_000 : undefined,
      note: `first start ${Math.round(times[0]!)} ms; includes node and tsx start-up (about 1 s)`,
    }),
    row({
      path: 'restart with no snapshot (whole log replayed)',
      size,
      ours: Math.round(replayMs),
      peer: null,
      unit: 'ms to /readyz',
      better: 'lower',
      target: '<= 60 s after a crash at 10M (judged only at 10M)',
      meets: profiles >= 10_000_000 ? (o) => o <= 60_000 : undefined,
      note: 'the worst case: after a crash only the log since the last periodic snapshot is replayed',
    }),
  ];
}
