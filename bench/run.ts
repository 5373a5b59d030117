/**
 * `npm run bench`: every hot path of docs/performance.md against its peer, side by side, in one run. Prints a
 * table and writes `bench/results/<ISO time>.json` and `bench/results/latest.json`.
 *
 * Example: `npm run bench -- --quick` (or `node --import tsx bench/run.ts --only size,overlap --profiles 50000`)
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.ts';
import { count, notBuilt } from './bench-result.ts';
import type { BenchName, BenchOptions } from './bench-options.ts';
import { USAGE, parseBenchOptions } from './bench-options.ts';
import type { BenchTenant } from './bench-tenant.ts';
import { loadBenchTenant } from './bench-tenant.ts';
import { copyToDuckDB } from './duck-export.ts';
import { ingestRows } from './ingest-bench.ts';
import { lookupBench } from './lookup-bench.ts';
import { enrichBench } from './enrich-bench.ts';
import { lookupHttpBench, stableMemberships } from './lookup-http-bench.ts';
import { memoryBench } from './memory-bench.ts';
import { onboardingBench } from './onboarding-bench.ts';
import { overlapBench } from './overlap-bench.ts';
import { pixelBench } from './pixel-bench.ts';
import { qualifyBench } from './qualify-bench.ts';
import { identityIngestBench } from './identity-ingest-bench.ts';
import { identityMemoryBench } from './identity-memory-bench.ts';
import { identityResolveBench } from './identity-resolve-bench.ts';
import { identitySyncBench } from './identity-sync-bench.ts';
import { catalogBench, logBench } from './scale-out-bench.ts';
import { deploymentBench } from './scale-out-deployment-bench.ts';
import { formatTable, writeResults } from './report.ts';
import { resegmentBench } from './resegment-bench.ts';
import { restartBench } from './restart-bench.ts';
import { sizeBench } from './size-bench.ts';

const IN_PROCESS: readonly BenchName[] = ['ingest', 'qualify', 'lookup', 'size', 'overlap', 'resegment'];
const ON_DATA: readonly BenchName[] = ['enrich', ...IN_PROCESS, 'lookup-http', 'memory', 'restart'];

/** Runs the selected benches; a bench that fails becomes a row saying why, and the exit code is 1. */
export async function runBenches(options: BenchOptions): Promise<{ results: BenchResult[]; failed: number }> {
  const results: BenchResult[] = [];
  let failed = 0;
  const on = (name: BenchName): boolean => options.only.has(name);
  const step = async (name: BenchName, target: string, run: () => Promise<BenchResult[]>): Promise<void> => {
    if (!on(name)) return;
    progress(`${name}...`);
    const t = performance.now();
    try {
      results.push(...(await run()));
    } catch (error) {
      failed++;
      const message = error instanceof Error ? error.message : String(error);
      results.push(notBuilt(name, target, `FAILED: ${message}`));
    }
    progress(` ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  };

  let data: BenchTenant | undefined;
  if (ON_DATA.some(on)) {
    progress(`loading ${count(options.profiles)} profiles (1,000 traits, 200 segments)...`);
    const t = performance.now();
    data = await loadBenchTenant({
      profiles: options.profiles,
      measureIngest: on('ingest'),
      ingestEvents: options.ingestEvents,
      keepEvents: on('qualify') ? options.qualifyEvents : 0,
    });
    progress(` ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  try {
    if (data !== undefined) {
      const { app, tenant } = data;
      const size = `${count(data.profiles)} profiles`;
      await step('ingest', 'ingestion', async () => ingestRows(data.ingest, size));
      await step('qualify', 'qualification', () => qualifyBench(app, tenant, data.kept, options.rounds));
      await step('lookup', 'lookup', () => lookupBench(app, tenant, options.lookupVisitors, options.lookups));
      await step('enrich', 'enrichment', () =>
        enrichBench(app, tenant, Math.min(options.lookupVisitors, 500), Math.min(options.lookups, 5_000)),
      );
      if (on('size') || on('overlap') || on('resegment')) {
        progress('copying the profiles to DuckDB...');
        const duck = await copyToDuckDB(app, tenant, data.now);
        progress(` ${count(duck.realisations)} realisations\n`);
        try {
          await step('size', 'size', () =>
            sizeBench(app, tenant, duck, options.sizeRules, options.quick ? 2 : 3),
          );
          await step('overlap', 'overlap', () => overlapBench(app, tenant, duck, 20, options.quick ? 2 : 3));
          await step('resegment', 'resegment', () => resegmentBench(app, tenant, duck, 1));
        } finally {
          duck.close();
        }
      }
      data.kept.length = 0;
      const sample = on('lookup-http')
        ? {
            dataDir: data.dataDir,
            apiKey: data.apiKey,
            memberships: stableMemberships(app, tenant, data.now, options.lookupVisitors),
          }
        : undefined;
      await data.close();
      await step('memory', 'memory', () => memoryBench(data.dataDir, tenant));
      await step('restart', 'restart', () => restartBench(data.dataDir, data.profiles, options.restarts));
      await step('lookup-http', 'lookup over HTTP', () =>
        lookupHttpBench(sample!, options.httpRequests, options.concurrency),
      );
    }
    await step('pixel', 'pixel', () => pixelBench(options.pixelRequests, options.concurrency));
    await step('onboarding', 'onboarding', () =>
      onboardingBench(options.onboardingRows, options.quick ? 1 : 3),
    );
    const id = options.identity;
    await step('identity', 'identity: resolve', async () => identityResolveBench(id.profiles, id.lookups));
    await step('identity', 'identity: ingestion', () => identityIngestBench(options.profiles, id.events));
    await step('identity', 'identity: memory', () => identityMemoryBench(id.profiles, id.memorySteps));
    await step('identity', 'identity: sync', () =>
      identitySyncBench(options.pixelRequests, options.concurrency),
    );
    const so = options.scaleOut;
    await step('scale-out', 'scale-out: event log', () => logBench(so.records));
    await step('scale-out', 'scale-out: catalog', () => catalogBench(so.writes, so.reads));
    await step('scale-out', 'scale-out: deployment', () => deploymentBench(so.deployment));
  } finally {
    await data?.close();
    await data?.remove();
  }
  return { results, failed };
}

function progress(text: string): void {
  process.stderr.write(text);
}

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n${USAGE}`);
    return 2;
  }
  const { results, failed } = await runBenches(options);
  process.stdout.write(formatTable(results));
  const file = await writeResults(join(import.meta.dirname, 'results'), results, {
    quick: options.quick,
    profiles: options.profiles,
    node: process.version,
    cores: availableParallelism(),
  });
  process.stdout.write(`written: ${file}\n`);
  return failed > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) process.exitCode = await main();
