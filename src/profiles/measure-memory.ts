/**
 * Measures the memory of the embedded profile store (not a test): loads N profiles (1M by default) with
 * realisations shaped like the standard data set (`dmp demo`): per profile 12 events over 90 days, each
 * realising 22 traits (the same time) out of 121 per-profile traits drawn Zipf-like from 2,558, so 264
 * realisations and 121 held (profile, trait) pairs a profile. Events arrive round-robin over profiles (all
 * profiles' first events, then their second ...), each profile's in time order. Prints bytes per profile,
 * per realisation and per pair, the time of an add and of a window count, of a late (out-of-order) add,
 * then the time to find every uid, to take a snapshot (`snapshotParts`) and to restore it (`fromSnapshot`).
 *
 * Run: `node --expose-gc --max-old-space-size=16000 --import tsx src/profiles/measure-memory.ts [profiles]`
 *
 * With `ids` first (`... measure-memory.ts ids [profiles]`), measures the ID index alone instead: per
 * profile three IDs (a 22-character uid, a 36-character maid, a 16-character crm), or with `--two-uids`
 * a second uid in place of the crm (several IDs of a type); prints the bytes per held ID beyond the IDs'
 * own bytes, and the time of an attach, of a find of a held ID and of an absent one.
 */
import type { CollectedEvent } from '../core/event.ts';
import { MemoryTenantProfiles } from './memory-tenant-profiles.ts';
import { IdIndex } from './id-index.ts';

const N = process.argv[2] === 'ids' ? 0 : Number(process.argv[2] ?? 1_000_000);
const EVENTS = 12;
const PER_EVENT = 22;
const TRAITS_PER_PROFILE = 121;
const CATALOG = 2_558;
const DAY = 86_400_000;
const NOW = Date.UTC(2025, 10, 20);
const COUNTRIES = ['GB', 'US', 'FR', 'DE', 'ES', 'IT'];
const CITIES = ['London', 'New York', 'Paris', 'Berlin', 'Madrid', 'Rome'];
const DEVICES = ['desktop', 'mobile', 'tablet'];

/** heap used plus typed-array memory, after a full collection */
function used(gc: NodeJS.GCFunction): number {
  gc({ execution: 'sync' });
  gc({ execution: 'sync' });
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** A deterministic pseudo-random generator (mulberry32), so runs are comparable. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per profile: its 121 trait ids (Zipf-like: log-uniform over the catalog) and its 12 event times. */
function plan(rnd: () => number): { traits: Uint16Array; times: Float64Array } {
  const traits = new Uint16Array(N * TRAITS_PER_PROFILE);
  const times = new Float64Array(N * EVENTS);
  const held = new Set<number>();
  const logCatalog = Math.log(CATALOG + 1);
  for (let p = 0; p < N; p++) {
    held.clear();
    while (held.size < TRAITS_PER_PROFILE) held.add(Math.floor(Math.exp(rnd() * logCatalog)));
    traits.set([...held], p * TRAITS_PER_PROFILE);
    const mine = times.subarray(p * EVENTS, (p + 1) * EVENTS);
    for (let e = 0; e < EVENTS; e++) mine[e] = NOW - Math.floor(rnd() * 90 * DAY);
    mine.sort();
  }
  return { traits, times };
}

function main(): void {
  const gc = globalThis.gc;
  if (gc === undefined) {
    console.error('run with: node --expose-gc --import tsx src/profiles/measure-memory.ts');
    process.exitCode = 1;
    return;
  }
  const rnd = random(42);
  const profiles = new MemoryTenantProfiles();
  const before = used(gc);
  let t = performance.now();
  for (let i = 0; i < N; i++) {
    // 22 characters, like a typical first-party cookie ID
    const uid = 'c-' + i.toString(36).padStart(20, '0');
    const p = profiles.resolve(uid, {}, true) ?? -1;
    const k = Math.floor(rnd() * COUNTRIES.length);
    const event: CollectedEvent = {
      uid,
      ids: {},
      type: 'pageview',
      ts: NOW - Math.floor(rnd() * 90 * DAY),
      utm: {},
      signals: {},
      geo: { country: COUNTRIES[k], city: CITIES[k] },
      device: { type: DEVICES[Math.floor(rnd() * DEVICES.length)] },
    };
    profiles.recordEvent(p, event);
  }
  const loadMs = performance.now() - t;
  const afterProfiles = used(gc);
  const { traits, times } = plan(rnd);
  const withPlan = used(gc);
  const rssWithPlan = process.memoryUsage().rss;
  const starts = new Uint8Array(N).map(() => Math.floor(rnd() * TRAITS_PER_PROFILE));
  t = performance.now();
  let added = 0;
  for (let e = 0; e < EVENTS; e++) {
    for (let p = 0; p < N; p++) {
      const ts = times[p * EVENTS + e] ?? 0;
      const base = p * TRAITS_PER_PROFILE;
      for (let j = 0; j < PER_EVENT; j++) {
        const k = ((starts[p] ?? 0) + e * PER_EVENT + j) % TRAITS_PER_PROFILE;
        profiles.addRealisation(p, traits[base + k] ?? 0, ts);
        added++;
      }
    }
  }
  const realiseMs = performance.now() - t;
  const afterRealisations = used(gc);
  const rssRealisations = process.memoryUsage().rss - rssWithPlan;
  const pairs = N * TRAITS_PER_PROFILE;
  t = performance.now();
  let hits = 0;
  profiles.forEach((p) => {
    hits += profiles.view(p).countRealisations(1, NOW - 30 * DAY, NOW);
  });
  const countMs = performance.now() - t;
  // late events: one realisation older than the profile's newest, on every 10th profile
  const late = Math.ceil(N / 10);
  t = performance.now();
  for (let p = 0; p < N; p += 10) profiles.addRealisation(p, 7, (times[p * EVENTS + EVENTS - 1] ?? 0) - DAY);
  const lateMs = performance.now() - t;
  t = performance.now();
  let found = 0;
  for (let i = 0; i < N; i++)
    if (profiles.find('uid', 'c-' + i.toString(36).padStart(20, '0')) === i) found++;
  const findMs = performance.now() - t;
  t = performance.now();
  const parts = profiles.snapshotParts();
  const snapshotMs = performance.now() - t;
  const snapshotBytes = parts.reduce((n, part) => n + part.bytes.length, 0);
  t = performance.now();
  const restored = MemoryTenantProfiles.fromSnapshot(parts);
  const restoreMs = performance.now() - t;
  const same =
    restored.count() === N &&
    restored.find('uid', 'c-' + (N - 1).toString(36).padStart(20, '0')) === N - 1 &&
    restored.view(0).countRealisations(1, NOW - 30 * DAY, NOW) ===
      profiles.view(0).countRealisations(1, NOW - 30 * DAY, NOW);
  const perProfile = (afterProfiles - before) / N;
  const realisationBytes = afterRealisations - withPlan;
  console.log(`profiles: ${N}, realisations: ${added}, (profile, trait) pairs: ${pairs}`);
  console.log(`bytes per profile (IDs, columns, heads): ${perProfile.toFixed(1)}`);
  console.log(
    `realisations: ${(realisationBytes / 1e6).toFixed(0)} MB = ${(realisationBytes / N).toFixed(1)} B per profile, ` +
      `${(realisationBytes / added).toFixed(2)} B per realisation, ${(realisationBytes / pairs).toFixed(2)} B per pair`,
  );
  console.log(
    `resident (RSS) growth while adding them: ${(rssRealisations / 1e6).toFixed(0)} MB = ` +
      `${(rssRealisations / N).toFixed(1)} B per profile, ${(rssRealisations / pairs).toFixed(2)} B per pair ` +
      '(pages of a chunk not yet written are reserved, not resident)',
  );
  const arenaBytes = profiles.realisationBytes?.();
  if (arenaBytes !== undefined)
    console.log(
      `realisation arena bytes() (chunks + columns): ${(arenaBytes / 1e6).toFixed(0)} MB = ` +
        `${(arenaBytes / N).toFixed(1)} B per profile, ${(arenaBytes / pairs).toFixed(2)} B per pair`,
    );
  console.log(
    `load profiles: ${loadMs.toFixed(0)} ms; add realisations: ${realiseMs.toFixed(0)} ms ` +
      `(${((realiseMs * 1e3) / added).toFixed(3)} us each, in time order)`,
  );
  console.log(
    `late add (older than the profile's newest) on ${late} profiles: ${lateMs.toFixed(0)} ms ` +
      `(${((lateMs * 1e3) / late).toFixed(2)} us each)`,
  );
  console.log(
    `count one trait in a 30-day window on every profile: ${countMs.toFixed(0)} ms ` +
      `(${((countMs * 1e3) / N).toFixed(3)} us a profile, ${hits} hits)`,
  );
  console.log(`find every uid once: ${findMs.toFixed(0)} ms (${found} found)`);
  console.log(
    `snapshotParts: ${snapshotMs.toFixed(0)} ms, ${(snapshotBytes / 1e6).toFixed(0)} MB in ${parts.length} parts`,
  );
  console.log(`fromSnapshot: ${restoreMs.toFixed(0)} ms (${same ? 'same answers' : 'DIFFERENT ANSWERS'})`);
  t = performance.now();
  gc({ execution: 'sync' });
  const gcMs = performance.now() - t;
  console.log(
    `heap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB; one full GC: ${gcMs.toFixed(1)} ms`,
  );
}

/** an ID: its type and value */
type Id = [type: string, value: string];

/** The IDs of profile `i`: a uid, a maid and a crm (or a second uid), of 22, 36 and 16 bytes. */
function idsOf(i: number, twoUids: boolean): [Id, Id, Id] {
  const n = i.toString(36).padStart(20, '0');
  const hex = i.toString(16).padStart(12, '0');
  return [
    ['uid', `c-${n}`],
    ['maid', `6d92078a-8246-4ba4-ae5b-${hex}`],
    twoUids ? ['uid', `d-${n.slice(6)}`] : ['crm', `crm-${i.toString().padStart(12, '0')}`],
  ];
}

/** Shuffles `a` in place (Fisher-Yates over the seeded generator). */
function shuffle(a: Uint32Array, rnd: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = a[i] ?? 0;
    a[i] = a[j] ?? 0;
    a[j] = t;
  }
}

/** The ID index alone: N profiles of three IDs each; memory per held ID and the time of attach and find. */
function measureIds(n: number, twoUids: boolean, gc: NodeJS.GCFunction): void {
  const rnd = random(7);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  shuffle(order, rnd);
  let own = 0;
  for (let i = 0; i < n; i++) for (const [, v] of idsOf(i, twoUids)) own += Buffer.byteLength(v);
  const before = used(gc);
  const ids = new IdIndex({ seed: 1 });
  ids.ensureProfiles(n);
  let t = performance.now();
  for (const i of order) {
    const [a, b, c] = idsOf(i, twoUids);
    ids.attach(i, a[0], a[1], NOW);
    ids.attach(i, b[0], b[1], NOW);
    ids.attach(i, c[0], c[1], NOW, true);
  }
  const attachMs = performance.now() - t;
  const after = used(gc);
  const held = ids.size();
  shuffle(order, rnd);
  t = performance.now();
  let found = 0;
  for (const i of order) {
    for (const [type, v] of idsOf(i, twoUids)) if (ids.find(type, v) === i) found++;
  }
  const findMs = performance.now() - t;
  t = performance.now();
  let absent = 0;
  for (const i of order) if (ids.find('uid', `x-${i.toString(36).padStart(20, '0')}`) === undefined) absent++;
  const absentMs = performance.now() - t;
  t = performance.now();
  let chars = 0;
  for (const i of order) chars += ids.valueOf(i, 'uid')?.length ?? 0;
  const valueMs = performance.now() - t;
  const perId = (after - before) / held;
  const heads = (4 * n) / held;
  console.log(`profiles: ${n}, IDs held: ${held} (${twoUids ? 'uid, maid, uid' : 'uid, maid, crm'} each)`);
  console.log(
    `memory (heap + array buffers, after GC): ${((after - before) / 1e6).toFixed(1)} MB = ${perId.toFixed(1)} B per held ID, ` +
      `of which the IDs' own bytes ${(own / held).toFixed(1)}, the list heads ${heads.toFixed(1)} (4 per profile): ` +
      `${(perId - own / held - heads).toFixed(1)} B per held ID beyond its own bytes and the heads`,
  );
  console.log(
    `attach: ${((attachMs * 1e3) / held).toFixed(3)} us each; find a held ID: ${((findMs * 1e3) / held).toFixed(3)} us ` +
      `(${found} found); find an absent uid: ${((absentMs * 1e3) / n).toFixed(3)} us (${absent} absent); ` +
      `valueOf uid: ${((valueMs * 1e3) / n).toFixed(3)} us (${chars} chars)`,
  );
}

if (process.argv[2] === 'ids') {
  const gc = globalThis.gc;
  if (gc === undefined) {
    console.error('run with: node --expose-gc --import tsx src/profiles/measure-memory.ts ids [profiles]');
    process.exitCode = 1;
  } else measureIds(Number(process.argv[3] ?? 1_000_000), process.argv.includes('--two-uids'), gc);
} else main();
