/**
 * The embedded event log: append-only segment files in one directory, group-committed with `fdatasync`.
 *
 * Files: `<dir>/<first seq, 20 digits>.log`, e.g. `00000000000000000001.log`, a new one when the active
 * segment would pass `segmentBytes`. Each segment is a run of records, nothing else:
 *
 *   offset 0   u32 LE  length of the JSON body in bytes (1 .. 64 MiB)
 *   offset 4   u32 LE  crc32 (zlib) of bytes 8 .. end of record (seq, appendedAt and JSON)
 *   offset 8   u64 LE  seq (consecutive within and across segments, from 1)
 *   offset 16  f64 LE  appendedAt, epoch milliseconds (one value per group-committed batch)
 *   offset 24  JSON of the `LogRecord`, UTF-8
 *
 * A crash can leave only the last segment's tail torn; on open it is cut back to the last good record.
 * Damage anywhere else is reported as `CorruptLogError` with the file and byte offset.
 * `erase` rewrites sealed segments through `<segment>.tmp` and a rename; open deletes leftover temp files.
 */
import type { EraseFilter, EraseResult, EventLog, LogRecord } from './event-log.ts';
import { GroupCommitWriter } from './group-commit-writer.ts';
import type { WriterStats } from './group-commit-writer.ts';
import { eraseRecords } from './log-erasure.ts';
import { LogClosedError } from './log-errors.ts';
import { recoverLog } from './log-recovery.ts';
import type { RepairedTail } from './log-recovery.ts';
import { replaySegments } from './log-replay.ts';
import { dropSegmentsOlderThan } from './log-retention.ts';
import { MAX_RECORD_BYTES } from './record-format.ts';
import type { Segment } from './segment-files.ts';

/** Counters of a file event log since it was opened, and the tail it repaired on open if any. */
export interface FileEventLogStats extends WriterStats {
  segments: number;
  repairedTail: RepairedTail | undefined;
}

/**
 * An `EventLog` kept in segment files, with counters for tests and metrics.
 *
 * Example: `const { flushes, records } = log.stats(); // flushes much lower than appends under load`
 */
export interface FileEventLog extends EventLog {
  stats(): FileEventLogStats;
}

export interface FileEventLogOptions {
  /** rotate to a new segment file when the active one would pass this size (default 64 MiB) */
  segmentBytes?: number;
  /** the clock stamped on records as `appendedAt` (default `Date.now`) */
  now?: () => number;
}

/**
 * Opens (or creates) the log in `dir`, repairing a torn tail left by a crash.
 * Only one process may have a directory open at a time.
 *
 * Example:
 * ```ts
 * const log = await openFileEventLog('data/log');
 * const seq = await log.append([{ kind: 'delete', tenant: 't1', uid: 'c-123' }]); // synced to disk
 * await log.replay(1, (seq, record) => apply(record));
 * await log.close();
 * ```
 */
export async function openFileEventLog(
  dir: string,
  options: FileEventLogOptions = {},
): Promise<FileEventLog> {
  const recovered = await recoverLog(dir);
  const writer = new GroupCommitWriter(dir, recovered.segments, recovered.active, recovered.lastSeq, {
    segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
    now: options.now ?? Date.now,
  });
  return new SegmentedFileEventLog(dir, recovered.segments, writer, recovered.repairedTail);
}

class SegmentedFileEventLog implements FileEventLog {
  /** retention and erasure, one at a time: neither may delete or rewrite a file the other is using */
  private maintenance: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly segments: Segment[],
    private readonly writer: GroupCommitWriter,
    private readonly repairedTail: RepairedTail | undefined,
  ) {}

  append(records: readonly LogRecord[]): Promise<number> {
    if (this.closing) return Promise.reject(new LogClosedError());
    const json: string[] = [];
    for (const record of records) {
      const text = JSON.stringify(record);
      if (text.length * 3 > MAX_RECORD_BYTES && Buffer.byteLength(text) > MAX_RECORD_BYTES) {
        return Promise.reject(
          new RangeError(`log record of ${Buffer.byteLength(text)} bytes is over the limit`),
        );
      }
      json.push(text);
    }
    return this.writer.append(json);
  }

  async replay(
    fromSeq: number,
    onRecord: (seq: number, record: LogRecord, appendedAt: number) => void,
  ): Promise<void> {
    const view = {
      snapshot: [...this.segments],
      live: this.segments,
      untilSeq: this.writer.lastSeq(),
      readableBytes: (segment: Segment) => {
        const active = this.writer.active();
        return segment === active.segment ? active.size : undefined;
      },
    };
    await replaySegments(view, fromSeq, onRecord);
  }

  lastSeq(): number {
    return this.writer.lastSeq();
  }

  dropOlderThan(cutoffMs: number): Promise<number> {
    return this.serially(() =>
      dropSegmentsOlderThan(this.dir, this.segments, () => this.writer.active().segment, cutoffMs),
    );
  }

  erase(drop: EraseFilter): Promise<EraseResult> {
    if (this.closing) return Promise.reject(new LogClosedError());
    return this.serially(() => eraseRecords(this.segments, this.writer, drop));
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.maintenance.then(task);
    this.maintenance = run.catch(() => undefined);
    return run;
  }

  stats(): FileEventLogStats {
    return { ...this.writer.stats(), segments: this.segments.length, repairedTail: this.repairedTail };
  }

  close(): Promise<void> {
    this.closing ??= this.maintenance.then(() => this.writer.close());
    return this.closing;
  }
}
