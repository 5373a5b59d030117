import type { RowError } from './row-error.ts';

/** How a file changes a data source's onboarded traits (ADR 13). */
export type OnboardMode = 'full' | 'delta';

/** The counts of one chunk of a file: every row read is accepted, rejected, or skipped as opted out. */
export interface ChunkStats {
  read: number;
  accepted: number;
  rejected: number;
  optedOut: number;
  /** rejected rows by reason, e.g. `{ unknown_trait: 2 }` */
  reasons: Record<string, number>;
}

/**
 * One durable chunk of an onboarding job, as the event log holds it (ADR 13). `rows` is the chunk's
 * accepted rows in the compact text of `encodeRows` (per row: id type, id, time or empty, signed
 * trait ids; nothing JSON has to escape), not one JSON object per row. Chunks of a job are numbered 1, 2, 3, ...; a chunk is
 * applied only right after the one before it, so none is ever applied twice. The job's last record has
 * `last: true` (and may hold no rows); in full mode applying it removes the source's traits from every
 * profile the job did not name.
 *
 * Example:
 * `{ kind: 'onboard', tenant: 'acme', source: 'iab-provider', job: '5f0c...', chunk: 1, mode: 'delta',
 *    ts: 1763640000000, end: 2097152, rowEnd: 17001, rows: 'uid 3:c-1  12,57;', stats: {...} }`
 */
export interface OnboardRecord {
  kind: 'onboard';
  tenant: string;
  /** the data source's code */
  source: string;
  job: string;
  chunk: number;
  mode: OnboardMode;
  /** the job's time (epoch ms): the realisation time of rows that give none */
  ts: number;
  /** byte offset in the uploaded file just after this chunk's last row: where a resumed job goes on */
  end: number;
  /** the number of the last row this chunk consumed (the header is row 1 of a CSV file) */
  rowEnd: number;
  rows: string;
  stats: ChunkStats;
  /** the chunk's first row errors, while the job has reported fewer than its limit */
  errors?: RowError[];
  /** full mode: the ids of the source's onboarded traits when the job started (what a row replaces) */
  sourceTraits?: number[];
  last?: true;
  /**
   * On a scaled-out deployment (ADR 0039): the partition this record goes to, its rows being the
   * visitors that partition holds. Each chunk goes to every partition, its counts
   * and errors on partition 0's record alone, so adding the partitions' progress up gives the job's.
   */
  partition?: number;
}
