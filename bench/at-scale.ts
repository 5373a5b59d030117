/**
 * The at-scale run: our side of the hot paths that a data set of `dmp demo` size 10M makes measurable,
 * on a data folder `dmp demo` built (its peers run side by side in `npm run bench` at sizes where both
 * fit in memory together). Starts the program on the folder (the restart from its snapshot is measured),
 * then memory, full-GC pause, lookups, exact sizes, overlap and re-segmentation. Prints a table and
 * writes `bench/results/at-scale-<ISO time>.json`.
 *
 * Example:
 * `node bin/dmp.js demo --profiles 10000000 --seed 7 --data /tmp/dmp10m`, then
 * `node --expose-gc --max-old-space-size=20000 --import tsx bench/at-scale.ts --data /tmp/dmp10m`
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { count } from './bench-result.ts';
import { sampleUids } from './lookup-bench.ts';
import { percentile } from './measure.ts';
import { benchSegments } from './size-bench.ts';

interface Figure {
  path: string;
  value: number;
  unit: string;
  target: string;
  met: boolean | null;
  note?: string;
}

const { values } = parseArgs({
  options: { data: { type: 'string' }, tenant: { type: 'string', default: 'bench' } },
});
if (values.data === undefined) {
  process.stderr.write('usage: bench/at-scale.ts --data DIR [--tenant NAME] (a folder `dmp demo` made)\n');
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  process.stderr.write('run node with --expose-gc\n');
  process.exit(2);
}
const say = (text: string): boolean => process.stderr.write(text);

const started = performance.now();
const app = await createApp(loadConfig({ dataDir: values.data, logLevel: 'silent' }, {}));
const restartMs = performance.now() - started;
const tenant = (await app.catalog.listTenants()).find((t) => t.name === values.tenant)?.id;
if (tenant === undefined) throw new Error(`no tenant named ${values.tenant} in ${values.data}`);
const store = app.qualify.profilesOf(tenant);
const profiles = store.count();
const figures: Figure[] = [];
const add = (f: Figure): number => figures.push(f);
say(
  `${count(profiles)} profiles; started in ${(restartMs / 1000).toFixed(1)} s ${JSON.stringify(app.startup)}\n`,
);
add({
  path: 'restart after a clean stop (in process, snapshot read)',
  value: Math.round(restartMs),
  unit: 'ms',
  target: '<= 10 s at 10M',
  met: restartMs <= 10_000,
  note: `snapshot ${app.startup.used === undefined ? 'none' : 'used'}, ${app.startup.replayed} records replayed; node and tsx start-up (about 1 s) not included`,
});

// memory: everything the process holds after full GCs, per profile and per held (profile, trait) pair
gc();
gc();
const memory = process.memoryUsage();
const sample = sampleUids(app, tenant, 20_000);
let pairs = 0;
let realisations = 0;
for (const uid of sample) {
  const p = store.find('uid', uid);
  if (p === undefined) continue;
  const summaries = store.traitSummaries(p);
  pairs += summaries.length;
  for (const s of summaries) realisations += s.count;
}
const pairsPerProfile = pairs / sample.length;
const held = memory.heapUsed + memory.arrayBuffers;
add({
  path: 'memory held per profile (all of it, realisations included)',
  value: Math.round(held / profiles),
  unit: 'bytes',
  target: '<= 64 + 8 per pair',
  met: held / profiles <= 64 + 8 * pairsPerProfile,
  note: `heap ${count(Math.round(memory.heapUsed / 2 ** 20))} MiB + array buffers ${count(Math.round(memory.arrayBuffers / 2 ** 20))} MiB, RSS ${count(Math.round(memory.rss / 2 ** 20))} MiB; per profile (sampled) ${pairsPerProfile.toFixed(1)} pairs, ${(realisations / sample.length).toFixed(1)} realisations: ${(held / profiles / pairsPerProfile).toFixed(1)} B per pair in all`,
});
const pauses = [0, 1, 2].map(() => {
  const t = performance.now();
  gc();
  return performance.now() - t;
});
add({
  path: 'full GC pause, everything loaded',
  value: Math.round(Math.max(...pauses) * 10) / 10,
  unit: 'ms',
  target: '< 50 ms at 10M',
  met: Math.max(...pauses) < 50,
});

// lookups: the first (computed) and then from the membership cache
const uids = sample.slice(0, 5_000);
const first: number[] = [];
const cached: number[] = [];
for (const list of [first, cached]) {
  for (const uid of uids) {
    const t = process.hrtime.bigint();
    app.profileService.segments(tenant, { uid });
    list.push(Number(process.hrtime.bigint() - t) / 1000);
  }
}
add({
  path: 'segment lookup in process, p50 (cached)',
  value: round(percentile(cached, 50)),
  unit: 'us',
  target: 'p50 <= 5 us',
  met: percentile(cached, 50) <= 5,
  note: `first lookup of a visitor (every segment evaluated): p50 ${round(percentile(first, 50))} us, p99 ${round(percentile(first, 99))} us`,
});

// exact sizes: the 20 generated segments' rules (windowed first), 3 times each; the first call alone too
say('sizes...');
const sized = benchSegments(app, tenant, 20);
const sizes: number[] = [];
const firstSizes: number[] = [];
for (const segment of sized) {
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    app.segments.sizeOfRule(tenant, segment.rule);
    const ms = performance.now() - t;
    sizes.push(ms);
    if (i === 0) firstSizes.push(ms);
  }
}
say(` p50 ${round(percentile(sizes, 50))} ms\n`);
add({
  path: 'exact size of a rule, p50',
  value: round(percentile(sizes, 50)),
  unit: 'ms',
  target: 'p50 <= 20 ms at 10M',
  met: percentile(sizes, 50) <= 20,
  note: `${sized.length} rules x 3; p99 ${round(percentile(sizes, 99))} ms; first calls p50 ${round(percentile(firstSizes, 50))} ms, max ${round(Math.max(...firstSizes))} ms`,
});

say('overlap...');
const codes = sized.map((s) => s.code);
const overlaps = [0, 1].map(() => {
  const t = performance.now();
  app.segments.overlap(tenant, codes);
  return performance.now() - t;
});
say(` ${round(Math.min(...overlaps))} ms\n`);
add({
  path: `overlap matrix of ${codes.length} segments`,
  value: round(percentile(overlaps, 50)),
  unit: 'ms',
  target: '<= 200 ms at 10M',
  met: percentile(overlaps, 50) <= 200,
  note: `runs: ${overlaps.map(round).join(', ')} ms`,
});

say('re-segmentation...');
const all = benchSegments(app, tenant, Infinity);
let t = performance.now();
for (const s of all) app.segments.size(tenant, s.code);
const resegMs = performance.now() - t;
say(` ${round(resegMs)} ms\n`);
add({
  path: `batch re-segmentation of ${all.length} segments`,
  value: Math.round(resegMs),
  unit: 'ms',
  target: '<= 10 s at 10M',
  met: resegMs <= 10_000,
});

t = performance.now();
await app.close();
const closeMs = performance.now() - t;
const rows = figures.map((f) => [
  f.path,
  count(f.value),
  f.unit,
  f.target,
  f.met === null ? '-' : f.met ? 'yes' : 'NO',
]);
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
process.stdout.write(
  `at scale: ${count(profiles)} profiles (${values.data})\n` +
    rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')).join('\n') +
    `\n\nnotes:\n${figures
      .filter((f) => f.note !== undefined)
      .map((f) => `  ${f.path}: ${f.note}`)
      .join('\n')}\n  close (snapshot written): ${Math.round(closeMs)} ms\n`,
);
const dir = join(import.meta.dirname, 'results');
await mkdir(dir, { recursive: true });
const file = join(dir, `at-scale-${new Date().toISOString().replaceAll(':', '-')}.json`);
await writeFile(file, `${JSON.stringify({ profiles, data: values.data, figures, closeMs }, null, 2)}\n`);
process.stdout.write(`written: ${file}\n`);

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
