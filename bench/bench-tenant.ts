import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../src/app.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import type { CollectedEvent } from '../src/core/event.ts';
import type { DemoData } from '../src/demo/generate-demo.ts';
import type { RawDemoEvent } from '../src/demo/generate-demo.ts';
import { generateDemo } from '../src/demo/generate-demo.ts';
import { onboardThirdParty } from '../src/demo/onboard-third-party.ts';
import { iabAudienceTaxonomy } from '../src/traits/iab-audience-taxonomy.ts';
import { loadDemoDays } from '../src/cli/demo-bulk.ts';
import type { IngestStats } from './ingest-bench.ts';
import { ingestAll } from './ingest-bench.ts';
import { installRules } from './install-rules.ts';
import { openRawAppend } from './raw-append.ts';

/** What to load. Example: `{ profiles: 2_000, ruleTraits: 1_000, segments: 200, measureIngest: true }`. */
export interface BenchTenantOptions {
  profiles: number;
  seed?: number;
  days?: number;
  ruleTraits?: number;
  segments?: number;
  batchSize?: number;
  /** run the raw-append peer beside every batch (the ingestion bench) */
  measureIngest?: boolean;
  /** how many enriched events to keep for the qualification bench */
  keepEvents?: number;
  /**
   * events sent through the ingestion pipeline (whole days, from the first, until this many are in);
   * the other days take the bulk path of `dmp demo` (ADR 0016), which gives the same profiles
   */
  ingestEvents?: number;
  /** onboard the IAB third-party traits (about 10 a profile), as `dmp demo` does; default true */
  thirdParty?: boolean;
  /** settings as environment variables (e.g. `{ DMP_RATE_LIMIT_API: '0' }`, as the HTTP benches' servers have) */
  env?: Record<string, string>;
}

/** The standard data set loaded into a running program (in process, not listening), on a temp folder. */
export interface BenchTenant {
  app: App;
  tenant: string;
  apiKey: string;
  dataDir: string;
  /** the program's clock is frozen here, so both sides of a bench see the same windows */
  now: number;
  demo: DemoData;
  profiles: number;
  ingest: IngestStats;
  kept: CollectedEvent[];
  /** closes the program cleanly (the data folder stays, for the restart and HTTP benches) */
  close(): Promise<void>;
  /** deletes the data folder */
  remove(): Promise<void>;
}

/**
 * Loads the standard data set (docs/performance.md): a tenant, its rule-based traits and segments through the
 * services, then the generated events: the first days through the ingestion pipeline as `POST /v1/events`
 * takes them (up to `ingestEvents`), the rest by the bulk path of `dmp demo`; then the IAB third-party
 * traits through file onboarding.
 * Example: `const t = await loadBenchTenant({ profiles: 2_000 }); t.app.segments.size(t.tenant, 'london_pricing')`.
 */
export async function loadBenchTenant(options: BenchTenantOptions): Promise<BenchTenant> {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const dataDir = await mkdtemp(join(tmpdir(), 'opendmp-bench-'));
  const app = await createApp(loadConfig({ dataDir, logLevel: 'silent' }, options.env ?? {}), {
    now: () => now,
  });
  const created = await app.catalog.createTenant('bench');
  const tenant = created.tenant;
  const demo = generateDemo({
    profiles: options.profiles,
    days: options.days ?? 90,
    seed: options.seed ?? 7,
    now,
    ruleTraits: options.ruleTraits ?? 1_000,
    segments: options.segments ?? 200,
  });
  await installRules(app, tenant, demo.traits, demo.segments);
  const raw = options.measureIngest === true ? await openRawAppend(join(dataDir, 'raw.ndjson')) : undefined;
  const kept: CollectedEvent[] = [];
  const spec = { profiles: options.profiles, days: options.days ?? 90, seed: options.seed ?? 7, now };
  const taken = { days: 0 };
  const ingested = firstDays(demo, options.ingestEvents ?? Infinity, taken);
  const ingest = await ingestAll(app, tenant, inBatches(ingested, options.batchSize ?? 5_000), {
    raw,
    keep: kept,
    keepMax: options.keepEvents ?? 0,
  });
  if (raw !== undefined) {
    await raw.close();
    await rm(join(dataDir, 'raw.ndjson'), { force: true });
  }
  if (taken.days < spec.days)
    await loadDemoDays(app, tenant, spec, demo.eventCount() - ingest.events, () => {}, taken.days);
  if (options.thirdParty !== false)
    await onboardThirdParty(app, tenant, { ...spec, nodes: iabAudienceTaxonomy() });
  let closed = false;
  return {
    app,
    tenant,
    apiKey: created.apiKey,
    dataDir,
    now,
    demo,
    profiles: app.qualify.profilesOf(tenant).count(),
    ingest,
    kept,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
    },
    async remove() {
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The first days of the data set, one at a time, until at least `max` events were given (every day when
 * there are fewer); `taken.days` counts them.
 */
function* firstDays(demo: DemoData, max: number, taken: { days: number }): Generator<RawDemoEvent[]> {
  let events = 0;
  for (const day of demo.days()) {
    if (events >= max) return;
    taken.days++;
    events += day.length;
    yield day;
  }
}

/** The days' events in batches of `size` (a batch may span days, as `batches` gives them). */
function* inBatches(days: Iterable<RawDemoEvent[]>, size: number): Generator<RawDemoEvent[]> {
  let batch: RawDemoEvent[] = [];
  for (const day of days) {
    for (const event of day) {
      batch.push(event);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}
