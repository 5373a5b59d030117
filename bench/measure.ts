import { readFileSync } from 'node:fs';

/** CPU time (user + system) this process has used, in ms. Example: `const t = cpuMs(); work(); cpuMs() - t`. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Kernel clock ticks per second for `/proc/PID/stat` (USER_HZ, 100 on Linux x86 and arm). */
const TICKS_PER_S = 100;

/**
 * CPU time (utime + stime) another process has used, in ms, from `/proc/PID/stat` (10 ms resolution).
 * Example: `const before = processCpuMs(child.pid); await load(); processCpuMs(child.pid) - before`.
 */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) may hold spaces: count fields after its closing parenthesis
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_S;
}

/**
 * The p-th percentile (0..100) of samples, nearest rank; sorts a copy. Example: `percentile([3, 1, 2], 50)` -> `2`.
 */
export function percentile(samples: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(samples).sort();
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The median. Example: `median([5, 1, 3])` -> `3`. */
export function median(samples: ArrayLike<number>): number {
  return percentile(samples, 50);
}

/**
 * Runs two measurements alternately, `rounds` times each (ours first, then the peer, then ours...), so
 * that a noisy neighbour slows both alike, and returns every figure of each side.
 * Example: `const { ours, peer } = await interleave(3, () => timeOurs(), () => timePeer())`.
 */
export async function interleave(
  rounds: number,
  ours: () => Promise<number> | number,
  peer: () => Promise<number> | number,
): Promise<{ ours: number[]; peer: number[] }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    a.push(await ours());
    b.push(await peer());
  }
  return { ours: a, peer: b };
}

/** Elapsed wall time of a synchronous call, in ms. Example: `wallMs(() => scan())` -> `12.5`. */
export function wallMs(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}
