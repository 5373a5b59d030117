import type { ChunkStats, OnboardRecord, OnboardRows, RowError } from '../core/onboard/index.ts';
import { MAX_REPORTED_ERRORS, decodeRows } from '../core/onboard/index.ts';
import type { TenantProfiles } from '../profiles/profile-store.ts';
import type { JobApplyState, OnboardTarget } from './apply-onboard-rows.ts';
import { applyOnboardRows, removeUnnamed } from './apply-onboard-rows.ts';
import { ProfileMarks, TraitMarks } from './profile-marks.ts';

/**
 * What the log says of one job: the chunks applied (1..`chunks`), where the next chunk starts in the
 * file (`end`, `rowEnd`), the summed counts, the first row errors, and whether its last chunk is in.
 *
 * Example: `{ tenant: 'acme', source: 'iab-provider', job: '5f0c...', chunks: 3, end: 6291456, rowEnd: 51002,
 *   stats: { read: 51001, accepted: 50990, rejected: 11, optedOut: 0, reasons: { unknown_trait: 11 } },
 *   errors: [...], done: false, realisations: 509900 }`
 */
export interface JobProgress {
  tenant: string;
  source: string;
  job: string;
  chunks: number;
  end: number;
  rowEnd: number;
  stats: ChunkStats;
  errors: RowError[];
  done: boolean;
  realisations: number;
}

interface JobState extends JobProgress {
  apply: JobApplyState;
}

/** Decoded rows of records appended by this process, so the live path does not decode its own text. */
const decoded = new WeakMap<OnboardRecord, OnboardRows>();

/**
 * Keeps the rows a record was encoded from, for `OnboardJobs.apply` in this process.
 * Example: `const record = withRows({ kind: 'onboard', ..., rows: encodeRows(rows) }, rows);`
 */
export function withRows(record: OnboardRecord, rows: OnboardRows): OnboardRecord {
  decoded.set(record, rows);
  return record;
}

/** A record's rows: those it was encoded from when this process made it, else decoded from its text. */
export function rowsOf(record: OnboardRecord): OnboardRows {
  return decoded.get(record) ?? decodeRows(record.rows);
}

/**
 * Applies `onboard` log records (called by qualification, live and at replay) and remembers each
 * job's progress, so an interrupted job resumes after its last durable chunk. A chunk is applied only
 * right after the one before it: a chunk appended twice, or one whose predecessor never became durable,
 * is ignored, so no chunk is ever applied twice.
 *
 * Example:
 * ```ts
 * jobs.apply(record, { profiles, index, changed });
 * jobs.progress('5f0c...')?.chunks; // 1
 * ```
 */
export class OnboardJobs {
  private readonly jobs = new Map<string, JobState>();
  private optedOut: (tenant: string, type: string, id: string) => boolean = () => false;

  /**
   * Skips IDs that opted out after their chunk was written (set before the log is replayed at start, so a
   * replay never brings back an opted-out visitor from a file).
   */
  useOptOuts(optedOut: (tenant: string, type: string, id: string) => boolean): void {
    this.optedOut = optedOut;
  }

  progress(job: string): Readonly<JobProgress> | undefined {
    return this.jobs.get(job);
  }

  /** Applies one record; returns the realisations added. */
  apply(record: OnboardRecord, target: OnboardTarget): number {
    const job = this.next(record);
    if (job === undefined) return 0;
    const rows = rowsOf(record);
    const tenant = record.tenant;
    const { added, skipped } = applyOnboardRows(rows, record.ts, job.apply, target, (type, id) =>
      this.optedOut(tenant, type, id),
    );
    job.stats.accepted -= skipped;
    job.stats.optedOut += skipped;
    job.realisations += added;
    if (record.last === true) {
      const { touched, sourceTraits } = job.apply;
      if (touched !== undefined && sourceTraits !== undefined) removeUnnamed(target, touched, sourceTraits);
      this.end(job);
    }
    return added;
  }

  /**
   * Takes note of a record whose rows the profiles already hold (restored from a snapshot taken after
   * it): the job's progress only, and for a full job the profiles its rows named (found by ID), so the
   * job can resume after the snapshot. Example: `jobs.observe(record, store.tenant('acme'))`.
   */
  observe(record: OnboardRecord, profiles: Pick<TenantProfiles, 'find'>): void {
    const job = this.next(record);
    if (job === undefined) return;
    const rows = decodeRows(record.rows);
    for (const traitId of rows.traits) if (traitId > 0) job.realisations++;
    const touched = job.apply.touched;
    if (touched !== undefined) {
      for (let i = 0; i < rows.count; i++) {
        const p = profiles.find(rows.types[i] as string, rows.ids[i] as string);
        if (p !== undefined) touched.add(p);
      }
    }
    if (record.last === true) this.end(job);
  }

  /** The job's state when `record` is its next chunk (counted in), else undefined. */
  private next(record: OnboardRecord): JobState | undefined {
    let job = this.jobs.get(record.job);
    if (job === undefined) {
      if (record.chunk !== 1) return undefined;
      job = newJob(record);
      this.jobs.set(record.job, job);
    }
    if (record.chunk !== job.chunks + 1 || job.tenant !== record.tenant || job.done) return undefined;
    job.chunks = record.chunk;
    job.end = record.end;
    job.rowEnd = record.rowEnd;
    addStats(job.stats, record.stats);
    for (const e of record.errors ?? []) if (job.errors.length < MAX_REPORTED_ERRORS) job.errors.push(e);
    return job;
  }

  private end(job: JobState): void {
    job.done = true;
    job.apply = { mode: job.apply.mode, touched: undefined, sourceTraits: undefined };
  }
}

function newJob(record: OnboardRecord): JobState {
  const full = record.mode === 'full';
  return {
    tenant: record.tenant,
    source: record.source,
    job: record.job,
    chunks: 0,
    end: 0,
    rowEnd: 0,
    stats: { read: 0, accepted: 0, rejected: 0, optedOut: 0, reasons: {} },
    errors: [],
    done: false,
    realisations: 0,
    apply: {
      mode: record.mode,
      touched: full ? new ProfileMarks() : undefined,
      sourceTraits: full ? new TraitMarks(record.sourceTraits ?? []) : undefined,
    },
  };
}

/** Adds one chunk's (or one partition's) counts to a sum. Example: `addStats(job.stats, record.stats)`. */
export function addStats(sum: ChunkStats, add: Readonly<ChunkStats>): void {
  sum.read += add.read;
  sum.accepted += add.accepted;
  sum.rejected += add.rejected;
  sum.optedOut += add.optedOut;
  for (const [reason, n] of Object.entries(add.reasons)) sum.reasons[reason] = (sum.reasons[reason] ?? 0) + n;
}
