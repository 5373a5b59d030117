/**
 * The measuring side of the memory bench, run in its own process with `--expose-gc`: replays the loaded
 * log into a fresh profile store twice, first as a tenant with no rules (profiles only), then as a
 * tenant with the real traits (profiles and realisations), and prints the heap and RSS deltas after a
 * full collection, the longest of three full-GC pauses with everything loaded, with a sample of profiles for the Redis peer, as one JSON line.
 * Run: `node --expose-gc --import tsx bench/memory-child.ts DATADIR TENANT`
 */
import { join } from 'node:path';
import { openSqliteCatalog } from '../src/catalog/sqlite-catalog.ts';
import { openFileEventLog } from '../src/log/file-event-log.ts';
import { createMemoryProfileStore } from '../src/profiles/memory-profile-store.ts';
import { RoaringAudienceIndex } from '../src/audience/roaring-audience-index.ts';
import { QualifyService } from '../src/qualify/qualify-service.ts';
import { createEnricher, createUserAgentParser, defaultLimits, openGeo } from '../src/collect/index.ts';
import { DemoRecordEvents } from '../src/demo/demo-record-events.ts';
import { OnboardJobs } from '../src/onboard/onboard-jobs.ts';

const [dataDir = '', tenant = ''] = process.argv.slice(2);
const gc = globalThis.gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

function used(): { heap: number; rss: number } {
  gc!({ execution: 'sync' });
  gc!({ execution: 'sync' });
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
}

const catalog = await openSqliteCatalog(join(dataDir, 'catalog.sqlite'));
const [traits, segments] = await Promise.all([catalog.listTraits(tenant), catalog.listSegments(tenant)]);
await catalog.close();
const log = await openFileEventLog(join(dataDir, 'log'));
const qualify = new QualifyService(createMemoryProfileStore(), 120, (p) => new RoaringAudienceIndex(p));
// `onboard` records (the third-party file) are applied as the program applies them (src/app.ts)
qualify.useOnboardRecords(new OnboardJobs());
// the data set's bulk-loaded days are `demo` records: drawn again as the program does. A fresh source
// per replay, so that the generator's schedule (about 70 bytes a profile) is not counted as profiles.
const enrich = createEnricher({ geo: await openGeo(), userAgent: createUserAgentParser(10_000) });
const freshDemoEvents = (): void => qualify.useDemoEvents(new DemoRecordEvents(enrich, defaultLimits));
qualify.setRules('bare', [], []);
qualify.setRules('full', traits, segments);
const replayAs = async (name: string): Promise<void> => {
  freshDemoEvents();
  await log.replay(1, (seq, record) => {
    if (record.tenant !== tenant) return;
    // the bare tenant holds profiles only: an onboarded file's chunks would add realisations
    if (name === 'bare' && record.kind === 'onboard') return;
    qualify.apply(seq, { ...record, tenant: name });
  });
  freshDemoEvents();
};
const m0 = used();
await replayAs('bare');
const m1 = used();
await replayAs('full');
const m2 = used();
await log.close();
// the full-GC pause with the profiles (and the audience bitmaps) loaded: the longest of three
qualify.startIndexing();
qualify.audience('full');
const pauses: number[] = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  gc({ execution: 'sync' });
  pauses.push(performance.now() - t0);
}

const full = qualify.profilesOf('full');
let pairs = 0;
full.forEach((p) => {
  pairs += full.traitSummaries(p).length;
});
const sample: { uid: string; attributes: Record<string, string | number>; traits: [number, number][] }[] = [];
full.forEach((p) => {
  if (sample.length >= 1_000) return;
  const a = full.attributes(p);
  const attributes: Record<string, string | number> = {
    visits: a.visits,
    pageviews: a.pageviews,
    first_seen: a.firstSeen,
    last_seen: a.lastSeen,
    ...a.geo,
    ...Object.fromEntries(Object.entries(a.device).map(([k, v]) => [`device_${k}`, v])),
  };
  sample.push({
    uid: full.uidOf(p),
    attributes,
    traits: full.traitSummaries(p).map((t) => [t.traitId, t.last]),
  });
});
process.stdout.write(
  `${JSON.stringify({
    profiles: qualify.profilesOf('bare').count(),
    pairs,
    profileHeap: m1.heap - m0.heap,
    profileRss: m1.rss - m0.rss,
    // the second replay builds the same profiles again, plus the realisations
    pairHeap: m2.heap - m1.heap - (m1.heap - m0.heap),
    pairRss: m2.rss - m1.rss - (m1.rss - m0.rss),
    gcPauseMs: Math.max(...pauses),
    sample,
  })}\n`,
);
