import type { App } from '../src/app.ts';
import type { CollectedEvent } from '../src/core/event.ts';
import type { RawDemoEvent } from '../src/demo/generate-demo.ts';
import { defaultLimits, parseEventBody } from '../src/collect/index.ts';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import { cpuMs } from './measure.ts';
import type { RawAppend } from './raw-append.ts';

/** CPU time spent by each side over the same batches. */
export interface IngestStats {
  events: number;
  batches: number;
  oursCpuMs: number;
  /** undefined when the raw peer was not run */
  rawCpuMs?: number;
}

export interface IngestAllOptions {
  /** the peer, run on every batch right after ours */
  raw?: RawAppend;
  /** keeps the first `keepMax` events as stored (enriched), for the qualification bench */
  keep?: CollectedEvent[];
  keepMax?: number;
}

/**
 * Sends every batch through the whole pipeline as `POST /v1/events` does (NDJSON parsed by
 * `parseEventBody`, then `app.ingest.ingest`: validate, enrich, log with `fdatasync`, qualify), and the
 * same bytes through the raw append when given. Throws if any event is rejected or the counts differ.
 * Example: `const stats = await ingestAll(app, 'bench', demo.batches(5000), { raw })`.
 */
export async function ingestAll(
  app: App,
  tenant: string,
  batches: Iterable<RawDemoEvent[]>,
  options: IngestAllOptions = {},
): Promise<IngestStats> {
  const stats: IngestStats = { events: 0, batches: 0, oursCpuMs: 0 };
  if (options.raw !== undefined) stats.rawCpuMs = 0;
  for (const batch of batches) {
    const body = Buffer.from(batch.map((e) => JSON.stringify(e)).join('\n'));
    let t = cpuMs();
    const parsed = parseEventBody(body, 'application/x-ndjson', defaultLimits);
    if ('error' in parsed) throw new Error(`bench ingestion: batch refused: ${parsed.error}`);
    const result = await app.ingest.ingest(tenant, parsed, { trusted: true });
    stats.oursCpuMs += cpuMs() - t;
    const rejected = result.rejected[0];
    if (rejected !== undefined) throw new Error(`bench ingestion: event rejected: ${rejected.error}`);
    if (options.raw !== undefined && stats.rawCpuMs !== undefined) {
      t = cpuMs();
      const appended = await options.raw.append(body);
      stats.rawCpuMs += cpuMs() - t;
      sameAnswer('batch ingestion (events stored)', result.accepted, appended);
    }
    const keep = options.keep;
    if (keep !== undefined && keep.length < (options.keepMax ?? 0)) {
      keep.push(...result.events.slice(0, (options.keepMax ?? 0) - keep.length));
    }
    stats.events += result.accepted;
    stats.batches++;
  }
  return stats;
}

/** The ingestion row from the stats of loading the data set. Example: `ingestRows(stats, '2,000 profiles')`. */
export function ingestRows(stats: IngestStats, size: string): BenchResult[] {
  const perCore = (ms: number | undefined): number | null =>
    ms === undefined || ms <= 0 ? null : Math.round(stats.events / (ms / 1000));
  return [
    row({
      path: 'batch ingestion, durable, full pipeline',
      size: `${size}, ${count(stats.events)} events`,
      ours: perCore(stats.oursCpuMs),
      peer: perCore(stats.rawCpuMs),
      unit: 'events/s/core',
      better: 'higher',
      target: '>= 150k/s/core; ratio >= 0.33 (within 3x of raw append)',
      meets: (ours, ratio) => ours >= 150_000 && ratio !== null && ratio >= 1 / 3,
      note: `peer: parse each NDJSON line + one write + one fdatasync per batch; ${stats.batches} batches`,
    }),
  ];
}
