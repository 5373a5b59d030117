import { open } from 'node:fs/promises';
import type { ChunkContext, CsvColumns, OnboardRecord } from '../core/onboard/index.ts';
import {
  ChunkBuilder,
  MAX_REPORTED_ERRORS,
  csvColumns,
  encodeRows,
  filterRows,
  parseCsvRecords,
  parseNdjsonRecords,
} from '../core/onboard/index.ts';
import type { JobSpec } from './job-files.ts';
import type { JobProgress } from './onboard-jobs.ts';
import { rowsOf, withRows } from './onboard-jobs.ts';
import { FileTextReader } from './file-text-reader.ts';

/**
 * What running a job needs: the log (records acknowledged once durable, and applied), the chunk
 * context, the job's progress in the log so far (to resume after it), and a stop signal.
 *
 * Example: `{ append: (r) => ingest.append(r), context, progress: jobs.progress(id), blockBytes: 2 << 20,
 *   stopped: () => false, afterChunk: () => {} }`
 */
export interface RunJobDeps {
  append(records: readonly OnboardRecord[]): Promise<number>;
  context: ChunkContext;
  progress: Readonly<JobProgress> | undefined;
  /** bytes of the file per chunk (a record longer than that makes its chunk longer) */
  blockBytes: number;
  /** checked between chunks: true when the program is stopping (the job resumes at the next start) */
  stopped(): boolean;
  /** called after each chunk is durable and applied (tests pause a job here to interrupt it) */
  afterChunk?: (job: string, chunk: number) => Promise<void> | void;
  /**
   * Visitors deleted while the job runs: `version` moves with each deletion, `deleted` says whether a
   * row's ID was deleted since the job started. A block parsed before a deletion is filtered again just
   * before its record is appended (recent-deletions.ts of src/privacy says why).
   */
  deletions?: { readonly version: number; deleted(type: string, id: string): boolean };
}

/**
 * Reads the job's file from where its last durable chunk ended, parses it a block of whole lines at a
 * time, and appends each block's accepted rows as one `onboard` record (the next block is parsed while
 * the previous one's fdatasync runs). Resolves `true` when the last chunk is durable, `false` when
 * stopped first.
 *
 * Example: `if (await runJob(spec, uploadPath, deps)) await finish(spec);`
 */
export async function runJob(spec: JobSpec, path: string, deps: RunJobDeps): Promise<boolean> {
  const { progress } = deps;
  let chunk = progress?.chunks ?? 0;
  let row = progress?.rowEnd ?? (spec.format === 'csv' ? 1 : 0);
  let budget = MAX_REPORTED_ERRORS - (progress?.errors.length ?? 0);
  const columns = spec.format === 'csv' ? headerColumns(spec) : undefined;
  const handle = await open(path, 'r');
  let inFlight: Promise<number> | undefined;
  try {
    const reader = new FileTextReader(handle, progress?.end ?? spec.dataStart, deps.blockBytes);
    let more = false;
    for (;;) {
      if (deps.stopped()) return false;
      const { text, final } = await reader.read(more);
      const parsedAt = deps.deletions?.version;
      const builder = new ChunkBuilder(deps.context, budget);
      const parsed =
        columns === undefined
          ? parseNdjsonRecords(text, 0, final, row + 1, builder)
          : parseCsvRecords(text, 0, final, columns, row + 1, builder);
      if (parsed.consumed === 0 && !final) {
        more = true;
        continue;
      }
      more = false;
      const end = reader.consume(parsed.consumed);
      row += parsed.rows;
      budget -= builder.errors.length;
      const last = final && parsed.consumed === text.length;
      let record = chunkRecord(spec, ++chunk, end, row, builder, last);
      if (inFlight !== undefined) await afterAppend(inFlight, deps, spec.job, chunk - 1);
      // no await between this check and the append: a deletion is either before both or after both
      if (deps.deletions !== undefined && deps.deletions.version !== parsedAt)
        record = withoutDeleted(record, deps.deletions);
      inFlight = deps.append([record]);
      if (last) {
        await afterAppend(inFlight, deps, spec.job, chunk);
        return true;
      }
    }
  } finally {
    await inFlight?.catch(() => undefined);
    await handle.close();
  }
}

async function afterAppend(
  appended: Promise<number>,
  deps: RunJobDeps,
  job: string,
  chunk: number,
): Promise<void> {
  await appended;
  await deps.afterChunk?.(job, chunk);
}

function chunkRecord(
  spec: JobSpec,
  chunk: number,
  end: number,
  rowEnd: number,
  builder: ChunkBuilder,
  last: boolean,
): OnboardRecord {
  const rows = builder.rows();
  const record: OnboardRecord = {
    kind: 'onboard',
    tenant: spec.tenant,
    source: spec.source,
    job: spec.job,
    chunk,
    mode: spec.mode,
    ts: spec.createdAt,
    end,
    rowEnd,
    rows: encodeRows(rows),
    stats: builder.stats,
  };
  if (builder.errors.length > 0) record.errors = builder.errors;
  if (chunk === 1 && spec.mode === 'full') record.sourceTraits = spec.sourceTraits ?? [];
  if (last) record.last = true;
  return withRows(record, rows);
}

/** The record without the rows of visitors deleted since the job started, counted as opted out. */
function withoutDeleted(
  record: OnboardRecord,
  deletions: NonNullable<RunJobDeps['deletions']>,
): OnboardRecord {
  const { rows, dropped } = filterRows(rowsOf(record), (type, id) => !deletions.deleted(type, id));
  if (dropped === 0) return record;
  const stats = { ...record.stats, accepted: record.stats.accepted - dropped };
  stats.optedOut += dropped;
  return withRows({ ...record, rows: encodeRows(rows), stats }, rows);
}

function headerColumns(spec: JobSpec): CsvColumns {
  const parsed = csvColumns(spec.header ?? []);
  if (!parsed.ok) throw new Error(`job ${spec.job}: its saved header no longer reads: ${parsed.message}`);
  return parsed.columns;
}
