/**
 * File onboarding on a scaled-out deployment (ADR 0039): an API server splits each chunk of a job by
 * the partition holding each row's visitor, and adds the partitions' progress up into the job's.
 */
import type { ChunkStats, OnboardRecord } from '../core/onboard/index.ts';
import { MAX_REPORTED_ERRORS, encodeRows, splitRows } from '../core/onboard/index.ts';
import { partitionOfVisitor } from '../log/nats/partition.ts';
import type { JobProgress } from '../onboard/onboard-jobs.ts';
import { addStats, rowsOf } from '../onboard/onboard-jobs.ts';

/**
 * Asks every partition which of a tenant's IDs (`[type, value]`) its profiles hold: for each, the lowest
 * partition holding it, or -1 when none does.
 */
export type HoldersOf = (tenant: string, ids: readonly [string, string][]) => Promise<number[]>;

/**
 * One record per partition for a chunk: a `uid` row goes to its uid's partition; a row of another ID
 * type to the partition whose profile holds that ID (the lowest, should two), or when none does to the
 * partition of `TYPE:VALUE`, the uid the profile it makes gets. Every partition gets every chunk (one
 * with no rows keeps its count of chunks, and the last one ends a full job everywhere); the chunk's
 * counts and errors ride on partition 0's record alone (every record keeps the full job's source
 * traits), each other's counts are zero, so the partitions' progress added up is the job's.
 *
 * Example: `await placeChunk(record, 4, holdersOf)` -> four records, `partition` 0..3
 */
export async function placeChunk(
  record: OnboardRecord,
  partitions: number,
  holdersOf: HoldersOf,
): Promise<OnboardRecord[]> {
  const rows = rowsOf(record);
  const tenant = record.tenant;
  const owner = new Int32Array(rows.count);
  const asked: [string, string][] = [];
  const askedRows: number[] = [];
  for (let i = 0; i < rows.count; i++) {
    const type = rows.types[i] as string;
    const id = rows.ids[i] as string;
    if (type === 'uid') owner[i] = partitionOfVisitor(tenant, id, partitions);
    else {
      asked.push([type, id]);
      askedRows.push(i);
    }
  }
  if (asked.length > 0) {
    const held = await holdersOf(tenant, asked);
    for (let k = 0; k < asked.length; k++) {
      const [type, id] = asked[k] as [string, string];
      const holder = held[k] ?? -1;
      owner[askedRows[k] as number] =
        holder >= 0 ? holder : partitionOfVisitor(tenant, `${type}:${id}`, partitions);
    }
  }
  return splitRows(rows, (i) => owner[i] as number, partitions).map((part, p) => {
    const placed: OnboardRecord = { ...record, partition: p, rows: encodeRows(part) };
    if (p !== 0) {
      placed.stats = { read: 0, accepted: 0, rejected: 0, optedOut: 0, reasons: {} };
      delete placed.errors;
    }
    return placed;
  });
}

/**
 * A job's progress over every partition, from each partition's (undefined where it has applied none of
 * the job yet): undefined until each has applied its first chunk; then the chunks all have applied
 * (where a resumed job goes on: a partition that has a chunk again ignores it), the counts and
 * realisations added up, the errors (partition 0's), and done once every partition applied the last.
 *
 * Example: `sumProgress([p0, p1])` -> `{ chunks: 3, stats: { read: 51001, ... }, done: false, ... }`
 */
export function sumProgress(
  parts: readonly (Readonly<JobProgress> | undefined | null)[],
): JobProgress | undefined {
  if (parts.length === 0 || parts.some((p) => p === undefined || p === null)) return undefined;
  const held = parts as readonly Readonly<JobProgress>[];
  const behind = held.reduce((a, b) => (b.chunks < a.chunks ? b : a));
  const stats: ChunkStats = { read: 0, accepted: 0, rejected: 0, optedOut: 0, reasons: {} };
  let realisations = 0;
  const errors = [];
  for (const part of held) {
    addStats(stats, part.stats);
    realisations += part.realisations;
    for (const e of part.errors) if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
  }
  return {
    tenant: behind.tenant,
    source: behind.source,
    job: behind.job,
    chunks: behind.chunks,
    end: behind.end,
    rowEnd: behind.rowEnd,
    stats,
    errors,
    done: held.every((p) => p.done),
    realisations,
  };
}
