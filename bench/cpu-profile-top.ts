/**
 * The functions a `.cpuprofile` spent its time in, most first: self time and share, and the share of
 * time under each (self plus callees). For the profiles `bench/at-scale.ts --cpu-profile FILE` writes.
 *
 * Example: `node --import tsx bench/cpu-profile-top.ts /tmp/overlap.cpuprofile 25`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, top = '25'] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: bench/cpu-profile-top.ts FILE.cpuprofile [N]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const name = (n: ProfileNode): string => {
  const where = n.callFrame.url.split('/').slice(-2).join('/');
  return `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
};
const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
for (const [id, us] of selfUs) {
  all += us;
  const node = byId.get(id);
  if (node === undefined) continue;
  self.set(name(node), (self.get(name(node)) ?? 0) + us);
  // each function once per stack, however often it recurses
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const n = byId.get(at);
    if (n === undefined || seen.has(name(n))) continue;
    seen.add(name(n));
    total.set(name(n), (total.get(name(n)) ?? 0) + us);
  }
}
const pct = (us: number): string => `${((100 * us) / all).toFixed(1)}%`.padStart(6);
process.stdout.write(`${(all / 1000).toFixed(0)} ms sampled\nself   under  function\n`);
for (const [fn, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top)))
  process.stdout.write(`${pct(us)} ${pct(total.get(fn) ?? 0)}  ${fn}\n`);
