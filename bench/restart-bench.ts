import type { BenchResult } from './bench-result.ts';
import { count, row } from './bench-result.ts';
import { startDmpServer } from './child-server.ts';

/**
 * Restart after a clean stop: the time from spawning `dmp serve` on the loaded data folder to its first
 * `/readyz` 200 (the whole log replayed), `starts` times; the row gives the last (the file cache warm, as
 * after a stop), the first in the note. No peer.
 * Example: `await restartBench(dataDir, 100_000, 2)`.
 */
export async function restartBench(dataDir: string, profiles: number, starts = 2): Promise<BenchResult[]> {
  const times: number[] = [];
  for (let i = 0; i < starts; i++) {
    const server = await startDmpServer(dataDir);
    times.push(server.readyMs);
    await server.stop();
  }
  const last = times[times.length - 1]!;
  return [
    row({
      path: 'restart after a clean stop',
      size: `${count(profiles)} profiles`,
      ours: Math.round(last),
      peer: null,
      unit: 'ms to /readyz',
      better: 'lower',
      target: '<= 10 s at 10M profiles (judged only at 10M)',
      meets: profiles >= 10_000_000 ? (o) => o <= 10_000 : undefined,
      note: `first start ${Math.round(times[0]!)} ms; includes node and tsx start-up`,
    }),
  ];
}
