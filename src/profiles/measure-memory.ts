/**
 * Measures the memory of the embedded profile store (not a test): loads N profiles (1M by default) with
 * about 10 realisations each and prints bytes per profile and per realisation, then the time to find every
 * uid, to take a snapshot (`snapshotParts`) and to restore it (`fromSnapshot`).
 *
 * Run: `node --expose-gc --import tsx src/profiles/measure-memory.ts [profiles]`
 */
import type { CollectedEvent } from '../core/event.ts';
import { MemoryTenantProfiles } from './memory-tenant-profiles.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const PER_PROFILE = 10;
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
  t = performance.now();
  for (let p = 0; p < N; p++) {
    for (let j = 0; j < PER_PROFILE; j++) {
      profiles.addRealisation(p, 1 + Math.floor(rnd() * 1558), NOW - Math.floor(rnd() * 90 * DAY));
    }
  }
  const realiseMs = performance.now() - t;
  const afterRealisations = used(gc);
  t = performance.now();
  let hits = 0;
  profiles.forEach((p) => {
    hits += profiles.view(p).countRealisations(239, NOW - 30 * DAY, NOW);
  });
  const countMs = performance.now() - t;
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
    restored.count() === N && restored.find('uid', 'c-' + (N - 1).toString(36).padStart(20, '0')) === N - 1;
  const perProfile = (afterProfiles - before) / N;
  const perRealisation = (afterRealisations - afterProfiles) / (N * PER_PROFILE);
  console.log(`profiles: ${N}, realisations: ${N * PER_PROFILE}`);
  console.log(`bytes per profile (IDs, columns, heads): ${perProfile.toFixed(1)}`);
  console.log(`bytes per realisation (arena, with growth slack): ${perRealisation.toFixed(1)}`);
  console.log(`load profiles: ${loadMs.toFixed(0)} ms; add realisations: ${realiseMs.toFixed(0)} ms`);
  console.log(`count one trait in a 30-day window on every profile: ${countMs.toFixed(0)} ms (${hits} hits)`);
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

main();
