/**
 * The functions a `.cpuprofile` spent its time in, most first: self time and share, and the share of
 * time under each (self plus callees); then native functions (CRoaring's) by the function that called
 * them. With a third argument, only the samples under the function of that name (`overlap`: the
 * overlaps alone). For the profiles `bench/at-scale.ts --cpu-profile FILE` writes.
 *
 * Example: `node --import tsx bench/cpu-profile-top.ts /tmp/overlap.cpuprofile 25 overlap`.
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

const [file, top = '25', under] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: bench/cpu-profile-top.ts FILE.cpuprofile [N] [FUNCTION]\n');
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
const stackHas = (id: number, fn: string): boolean => {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
    if (byId.get(at)?.callFrame.functionName === fn) return true;
  return false;
};
const self = new Map<string, number>();
const total = new Map<string, number>();
const nativeByCaller = new Map<string, number>();
let all = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (node === undefined || (under !== undefined && !stackHas(id, under))) continue;
  all += us;
  if (node.callFrame.url === '') {
    let caller = parent.get(id);
    while (caller !== undefined && byId.get(caller)?.callFrame.url === '') caller = parent.get(caller);
    const by = caller === undefined ? undefined : byId.get(caller);
    if (by !== undefined) {
      const key = `${node.callFrame.functionName} <- ${name(by)}`;
      nativeByCaller.set(key, (nativeByCaller.get(key) ?? 0) + us);
    }
  }
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
process.stdout.write(
  `${(all / 1000).toFixed(0)} ms sampled${under === undefined ? '' : ` under ${under}`}\nself   under  function\n`,
);
for (const [fn, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top)))
  process.stdout.write(`${pct(us)} ${pct(total.get(fn) ?? 0)}  ${fn}\n`);
process.stdout.write('\nnative functions by caller\n');
for (const [fn, us] of [...nativeByCaller].sort((a, b) => b[1] - a[1]).slice(0, Number(top)))
  process.stdout.write(`${pct(us)}  ${fn}\n`);
