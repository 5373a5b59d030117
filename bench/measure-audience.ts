/**
 * Measures the audience index on the standard data set (docs/performance.md) held in the real profile store:
 * `node --expose-gc --import tsx bench/measure-audience.ts [profiles] [days]` (default 1,000,000
 * profiles over 30 days). Events are turned into profile updates and realisations directly (no HTTP, no
 * log): geo and device come with the generated events, trait rules are compiled and tested per event.
 * Prints load time, rebuild time, memory, and for the 20 demo segments: sizes (bitmap plan against the
 * per-profile predicate, both timed) and the overlap matrix.
 */
import type { CollectedEvent } from '../src/core/event.ts';
import type { RuleBinder, SegmentContext } from '../src/core/rules/index.ts';
import { checkRule, compileSegmentRule, compileTraitRule } from '../src/core/rules/index.ts';
import { urlParts, utmFromQuery } from '../src/collect/url-parts.ts';
import { generateDemo, type RawDemoEvent } from '../src/demo/generate-demo.ts';
import { createMemoryProfileStore } from '../src/profiles/memory-profile-store.ts';
import { RoaringAudienceIndex } from '../src/audience/roaring-audience-index.ts';
import { SegmentPlans } from '../src/audience/segment-resolver.ts';
import { RoaringBitmap32 } from '../src/audience/bitmap.ts';

const DAY = 86_400_000;
const profilesWanted = Number(process.argv[2] ?? 1_000_000);
const days = Number(process.argv[3] ?? 30);
const now = Date.UTC(2026, 9, 15, 12);
const ms = (t0: number): string => `${(performance.now() - t0).toFixed(0)} ms`;

const demo = generateDemo({ profiles: profilesWanted, days, seed: 7, now });
const traitCodes = new Map(
  demo.traits.map((t, i) => [t.code, { id: i + 1, lifetimeMs: t.lifetimeDays * DAY }]),
);
const segmentCodes = new Map(demo.segments.map((s, i) => [s.code, 1_000 + i]));
const binder: RuleBinder = { trait: (c) => traitCodes.get(c), segment: (c) => segmentCodes.get(c) };
const ctx = { scope: 'event' as const, traits: new Set<string>(), segments: new Map<string, string[]>() };
const traitTests = demo.traits.map((t, i) => {
  const checked = checkRule(t.rule, ctx);
  if (!checked.ok) throw new Error(`trait ${t.code} does not check`);
  return { id: i + 1, test: compileTraitRule(checked.rule) };
});

const profiles = createMemoryProfileStore().tenant('bench');
let t0 = performance.now();
let events = 0;
for (const batch of demo.batches(10_000)) {
  for (const raw of batch) {
    const event = collected(raw);
    const p = profiles.resolve(event.uid, event.ids, true) ?? -1;
    profiles.recordEvent(p, event);
    for (const trait of traitTests) if (trait.test(event)) profiles.addRealisation(p, trait.id, event.ts);
    events++;
  }
}
console.log(`loaded ${profiles.count()} profiles, ${events} events in ${ms(t0)}`);

const index = new RoaringAudienceIndex(profiles);
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().external;
const roaringBefore = RoaringBitmap32.getRoaringUsedMemory();
t0 = performance.now();
index.rebuild();
console.log(`rebuild: ${ms(t0)}; ${index.dayBitmapCount()} (trait, day) bitmaps`);
globalThis.gc?.();
const roaringBytes = RoaringBitmap32.getRoaringUsedMemory() - roaringBefore;
const heapBytes = process.memoryUsage().heapUsed + process.memoryUsage().external - heapBefore;
console.log(
  `memory: CRoaring ${(roaringBytes / 2 ** 20).toFixed(1)} MiB, JS heap + external ${(heapBytes / 2 ** 20).toFixed(1)} MiB` +
    ` (${(roaringBytes / profiles.count()).toFixed(1)} B per profile in bitmaps)`,
);

const segments = new SegmentPlans(index);
const predicates = new Map<number, (c: SegmentContext) => boolean>();
const plans = demo.segments.map((s) => {
  const parsed = checkRule(s.rule, {
    scope: 'profile',
    traits: new Set(traitCodes.keys()),
    segments: new Map(demo.segments.map((x) => [x.code, []])),
  });
  if (!parsed.ok) throw new Error(`segment ${s.code} does not check`);
  const id = segmentCodes.get(s.code) ?? 0;
  const plan = index.compile(parsed.rule, binder, segments.resolve);
  segments.define(id, plan);
  predicates.set(id, compileSegmentRule(parsed.rule, binder));
  return { code: s.code, id, rule: s.rule, plan };
});

console.log('\n| segment | size | bitmap plan | per-profile predicate (full scan) | rule |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const s of plans) {
  segments.invalidate();
  t0 = performance.now();
  const size = index.size(s.plan, now);
  const bitmapTime = ms(t0);
  t0 = performance.now();
  const scanned = scanSize(s.id);
  const scanTime = ms(t0);
  if (scanned !== size) throw new Error(`${s.code}: bitmap ${size} != predicate ${scanned}`);
  console.log(`| ${s.code} | ${size} | ${bitmapTime} | ${scanTime} | \`${s.rule.replaceAll('|', '\\|')}\` |`);
}
segments.invalidate();
t0 = performance.now();
const matrix = index.overlap(
  plans.map((s) => s.plan),
  now,
);
console.log(`\noverlap matrix of ${plans.length} segments: ${ms(t0)}`);
console.log(`first row: ${JSON.stringify(matrix.overlap[0])}`);
t0 = performance.now();
const insights = index.insights(
  segments.resolve(plans[0]?.id ?? 0, now) ?? new RoaringBitmap32(),
  [...traitCodes.values()].map((t) => t.id),
  100,
);
console.log(
  `insights of ${plans[0]?.code} over ${traitCodes.size} traits: ${ms(t0)}; top: ${JSON.stringify(insights[0])}`,
);

function scanSize(id: number): number {
  const predicate = predicates.get(id);
  if (predicate === undefined) return 0;
  const memo = new Map<number, boolean>();
  const context: SegmentContext = {
    view: profiles.view(0),
    now,
    inSegment: (other) => {
      const known = memo.get(other);
      if (known !== undefined) return known;
      const result = predicates.get(other)?.(context) ?? false;
      memo.set(other, result);
      return result;
    },
  };
  let n = 0;
  profiles.forEach((p) => {
    memo.clear();
    context.view = profiles.view(p);
    if (predicate(context)) n++;
  });
  return n;
}

function collected(raw: RawDemoEvent): CollectedEvent {
  const url = urlParts(raw.url);
  const referrer = raw.referrer === undefined ? undefined : urlParts(raw.referrer);
  return {
    uid: raw.uid,
    ids: raw.ids ?? {},
    type: raw.type,
    ts: raw.ts,
    url,
    referrer: referrer && { href: referrer.href, host: referrer.host },
    utm: url ? utmFromQuery(url.query) : {},
    signals: raw.signals ?? {},
    geo: raw.geo,
    device: raw.device,
  };
}
