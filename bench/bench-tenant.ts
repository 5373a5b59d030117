import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../src/app.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import type { CollectedEvent } from '../src/core/event.ts';
import type { DemoData } from '../src/demo/generate-demo.ts';
import { generateDemo } from '../src/demo/generate-demo.ts';
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
 * Loads the standard data set (BENCHMARKS.md): a tenant, its rule-based traits and segments through the
 * services, then every generated event through the ingestion pipeline as `POST /v1/events` takes it.
 * Example: `const t = await loadBenchTenant({ profiles: 2_000 }); t.app.segments.size(t.tenant, 'london_pricing')`.
 */
export async function loadBenchTenant(options: BenchTenantOptions): Promise<BenchTenant> {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const dataDir = await mkdtemp(join(tmpdir(), 'opendmp-bench-'));
  const app = await createApp(loadConfig({ dataDir, logLevel: 'silent' }, {}), { now: () => now });
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
  const ingest = await ingestAll(app, tenant, demo.batches(options.batchSize ?? 5_000), {
    raw,
    keep: kept,
    keepMax: options.keepEvents ?? 0,
  });
  if (raw !== undefined) {
    await raw.close();
    await rm(join(dataDir, 'raw.ndjson'), { force: true });
  }
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
