import type { CollectedEvent } from '../core/event.ts';

/** One entry of the log. Everything that changes profiles flows through it, in order. */
export type LogRecord =
  | { kind: 'event'; tenant: string; event: CollectedEvent }
  /** a deletion request: the profile with this primary ID and every trace of it */
  | { kind: 'delete'; tenant: string; uid: string };

/**
 * The durable, ordered event log. Records get consecutive sequence numbers starting at 1.
 *
 * Example:
 * ```ts
 * const last = await log.append([{ kind: 'event', tenant: 't1', event }]); // durable when resolved
 * await log.replay(1, (seq, record) => apply(record));
 * ```
 */
export interface EventLog {
  /**
   * Appends the records and resolves with the sequence number of the last one, only after they are
   * durably on disk (group commit: many concurrent appends share one fdatasync).
   * Rejects if the log is closed or the write fails; then none of them was acknowledged.
   */
  append(records: readonly LogRecord[]): Promise<number>;
  /** Calls `onRecord` for every record with `seq >= fromSeq`, in order, then resolves. */
  replay(fromSeq: number, onRecord: (seq: number, record: LogRecord) => void): Promise<void>;
  /** The sequence number of the last durable record (0 when empty). */
  lastSeq(): number;
  /** Drops whole stored files whose records are all older than `cutoffMs` (by append time). Returns records dropped. */
  dropOlderThan(cutoffMs: number): Promise<number>;
  /** Flushes what is pending and closes the files. */
  close(): Promise<void>;
}
