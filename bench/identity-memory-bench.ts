import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import type { ChildFigures } from './identity-memory-child.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');

/** Per held ID at one size of the sweep. */
interface SizePoint {
  profiles: number;
  held: number;
  index: number;
  map: number;
  parts: Record<string, number>;
}

/** One child process measuring one side at one size (identity-memory-child.ts). */
async function measureIn(side: 'index' | 'map', profiles: number): Promise<ChildFigures> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench/identity-memory-child.ts'), side, String(profiles)],
    { cwd: ROOT, maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout) as ChildFigures;
}

/**
 * Memory per held ID beyond the ID's own bytes: the profile store's ID index (`IdIndex`: both
 * directions, ID -> profile and profile -> IDs, with each ID's learnt time) against a `Map` of
 * `TYPE\0VALUE` -> profile (one direction, no times), each built in its own child process for sizes
 * from `profiles / 2` to `profiles` in `steps` geometric steps, so the figure is the mean over a whole
 * growth cycle of the arrays (the slot table doubles, the entry columns and key arena grow by half):
 * a single size can land just before or just after a growth step. Per held ID: (heap used + array
 * buffers with the structure held, minus the same once it is dropped, after full collections) minus
 * the values' UTF-8 bytes, and for the index minus its list heads (4 B of capacity a profile, a
 * per-profile cost), divided by the IDs held. Example: `await identityMemoryBench(1_000_000, 4)`.
 */
export async function identityMemoryBench(profiles: number, steps: number): Promise<BenchResult[]> {
  const points: SizePoint[] = [];
  for (let k = 0; k < steps; k++) {
    const n = Math.max(2, Math.round(profiles * 2 ** ((k + 1) / steps - 1)));
    const index = await measureIn('index', n);
    const map = await measureIn('map', n);
    sameAnswer(`identity memory at ${n} profiles (IDs held)`, index.held, map.held);
    const parts = index.parts ?? {};
    const heads = parts['list heads (4 B x capacity)'] ?? 0;
    points.push({
      profiles: n,
      held: index.held,
      index: (index.bytes - index.own - heads) / index.held,
      map: (map.bytes - map.own) / map.held,
      parts,
    });
  }
  const last = points[points.length - 1]!;
  const mean = (side: 'index' | 'map'): number => points.reduce((s, p) => s + p[side], 0) / points.length;
  const range = (side: 'index' | 'map'): string =>
    `${Math.min(...points.map((p) => p[side])).toFixed(1)}-${Math.max(...points.map((p) => p[side])).toFixed(1)}`;
  const where = Object.entries(last.parts)
    .filter(([name]) => !name.startsWith('list heads'))
    .map(([name, bytes]) => `${name} ${(bytes / last.held).toFixed(1)}`)
    .join(', ');
  return [
    row({
      path: 'identity: memory per held ID beyond its own bytes',
      size: `${count(points[0]!.profiles)}-${count(last.profiles)} profiles, up to ${count(last.held)} IDs`,
      ours: round1(mean('index')),
      peer: round1(mean('map')),
      unit: 'bytes',
      better: 'lower',
      target: '<= 32 B per held ID (mean over a growth cycle)',
      meets: (o) => o <= 32,
      note:
        `mean of ${points.length} sizes from ${count(points[0]!.profiles)} to ${count(last.profiles)} profiles (ours ${range('index')}, peer ${range('map')}), ` +
        `each side built in its own child (heap + array buffers held minus dropped, after gc()); IDs of bench/identity-ids.ts ` +
        `(uid, maid, email_sha256, partner: 2.5 a profile, ${(points.reduce((s, p) => s + p.held, 0) / points.reduce((s, p) => s + p.profiles, 0)).toFixed(2)} held); ` +
        `ours excludes its list heads (4 B a profile); at ${count(last.profiles)} per ID: ${where}; ` +
        `peer: Map of TYPE\\0VALUE -> profile (no reverse lists, no learnt times)`,
    }),
  ];
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
