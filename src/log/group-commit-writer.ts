import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { LogClosedError, LogWriteError } from './log-errors.ts';
import { HEADER_BYTES, writeRecord } from './record-format.ts';
import { segmentName, syncDir } from './segment-files.ts';
import type { Segment } from './segment-files.ts';

/** The segment being appended to: its open file and its durable length. */
export interface ActiveSegment {
  segment: Segment;
  handle: FileHandle;
  /** bytes of the file that are written and synced */
  size: number;
}

interface PendingAppend {
  json: string[];
  jsonBytes: number[];
  bytes: number;
  resolve: (lastSeq: number) => void;
  reject: (err: Error) => void;
}

/** Counters for tests and metrics: batches synced and records acknowledged since open. */
export interface WriterStats {
  flushes: number;
  records: number;
}

/** No single write bigger than this (unless one append is bigger on its own). */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * Group commit: appends queue up; one loop writes everything queued as one `write` and one `fdatasync`,
 * then resolves every append of the batch. Appends arriving during a flush go into the next batch.
 *
 * Example:
 * ```ts
 * const writer = new GroupCommitWriter(dir, segments, active, 0, { segmentBytes: 64 << 20, now: Date.now });
 * const lastSeq = await writer.append(['{"kind":"delete","tenant":"t1","uid":"u1"}']);
 * ```
 */
export class GroupCommitWriter {
  private queue: PendingAppend[] = [];
  private sealRequests: { segment: Segment; resolve: () => void; reject: (err: Error) => void }[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private closedBy: LogClosedError | undefined;
  /** set when a failed write could not be undone: from then on every append rejects */
  private broken: LogClosedError | undefined;
  private durableSeq: number;
  private readonly counters: WriterStats = { flushes: 0, records: 0 };

  constructor(
    private readonly dir: string,
    /** the log's segments, oldest first; the writer pushes new ones, retention shifts old ones */
    private readonly segments: Segment[],
    private current: ActiveSegment,
    lastSeq: number,
    private readonly options: { segmentBytes: number; now: () => number },
  ) {
    this.durableSeq = lastSeq;
  }

  /** Queues the JSON bodies; resolves with the seq of the last one once its batch is synced. */
  append(json: string[]): Promise<number> {
    const refusal = this.broken ?? this.closedBy;
    if (refusal) return Promise.reject(refusal);
    const jsonBytes = json.map((j) => Buffer.byteLength(j, 'utf8'));
    const bytes = jsonBytes.reduce((sum, n) => sum + HEADER_BYTES + n, 0);
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ json, jsonBytes, bytes, resolve, reject });
      if (!this.running) {
        this.running = true;
        // start after the current synchronous burst, so it shares the first batch
        queueMicrotask(() => void this.drain());
      }
    });
  }

  lastSeq(): number {
    return this.durableSeq;
  }

  active(): ActiveSegment {
    return this.current;
  }

  stats(): WriterStats {
    return { ...this.counters };
  }

  /** Stops taking appends, flushes what is queued, closes the active file. */
  async close(): Promise<void> {
    this.closedBy ??= new LogClosedError();
    if (this.running) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.current.handle.close().catch(() => undefined);
  }

  /**
   * Starts a new segment between two batches, so that `segment` is never written again and may be
   * rewritten (by `erase`). Nothing to do if it is no longer the active one or holds no record yet.
   * Appends queued meanwhile go to the new segment.
   */
  seal(segment: Segment): Promise<void> {
    const refusal = this.broken ?? this.closedBy;
    if (refusal) return Promise.reject(refusal);
    return new Promise<void>((resolve, reject) => {
      this.sealRequests.push({ segment, resolve, reject });
      if (!this.running) {
        this.running = true;
        queueMicrotask(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.sealRequests.length > 0) {
        await this.sealIfAsked();
        if (this.queue.length > 0) await this.flushBatch();
      }
    } catch (err) {
      // flushBatch handles I/O errors itself; anything else is a bug, and the log must not hang on it
      this.broken = new LogClosedError(`event log unusable: ${String(err)}`);
      this.fail(this.queue.splice(0), this.broken);
      for (const request of this.sealRequests.splice(0)) request.reject(this.broken);
    } finally {
      this.running = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Rotates for the pending `seal` calls, between two batches (so no write is in flight). */
  private async sealIfAsked(): Promise<void> {
    for (const request of this.sealRequests.splice(0)) {
      try {
        if (this.current.segment === request.segment && this.current.size > 0) await this.rotate();
        request.resolve();
      } catch (err) {
        request.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  private async flushBatch(): Promise<void> {
    const first = this.queue[0];
    if (first === undefined) return;
    try {
      if (this.current.size > 0 && this.current.size + first.bytes > this.options.segmentBytes) {
        await this.rotate();
      }
    } catch (err) {
      return this.fail(
        this.queue.splice(0),
        new LogWriteError('could not start a new log segment', { cause: err }),
      );
    }
    const batch = this.takeBatch(Math.min(MAX_BATCH_BYTES, this.options.segmentBytes - this.current.size));
    const { buf, lastSeqs } = this.encode(batch);
    const active = this.current;
    try {
      await writeFully(active.handle, buf, active.size);
      await active.handle.datasync();
    } catch (err) {
      await this.rollBack(active);
      return this.fail(batch, new LogWriteError('writing the event log failed', { cause: err }));
    }
    active.size += buf.length;
    const records = countRecords(batch);
    this.durableSeq += records;
    this.counters.flushes++;
    this.counters.records += records;
    batch.forEach((pending, i) => pending.resolve(lastSeqs[i] ?? this.durableSeq));
  }

  /** Takes the first queued append and then more while they fit in `room` bytes. */
  private takeBatch(room: number): PendingAppend[] {
    let bytes = 0;
    let n = 0;
    for (const pending of this.queue) {
      if (n > 0 && bytes + pending.bytes > room) break;
      bytes += pending.bytes;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private encode(batch: PendingAppend[]): { buf: Buffer; lastSeqs: number[] } {
    const buf = Buffer.allocUnsafe(batch.reduce((sum, p) => sum + p.bytes, 0));
    const appendedAt = this.options.now();
    const lastSeqs: number[] = [];
    let seq = this.durableSeq;
    let offset = 0;
    for (const pending of batch) {
      pending.json.forEach((json, i) => {
        seq++;
        offset = writeRecord(buf, offset, seq, appendedAt, json, pending.jsonBytes[i] ?? 0);
      });
      lastSeqs.push(seq);
    }
    const segment = this.current.segment;
    if (seq > this.durableSeq)
      segment.maxAppendedAt = Math.max(segment.maxAppendedAt ?? -Infinity, appendedAt);
    return { buf, lastSeqs };
  }

  private async rotate(): Promise<void> {
    const segment: Segment = {
      firstSeq: this.durableSeq + 1,
      path: join(this.dir, segmentName(this.durableSeq + 1)),
      maxAppendedAt: undefined,
    };
    // 'w+' and not 'wx': a file of that name can only be left over from a rotation that failed half-way
    const handle = await open(segment.path, 'w+');
    try {
      await syncDir(this.dir);
    } catch (err) {
      await handle.close();
      throw err;
    }
    const previous = this.current;
    this.segments.push(segment);
    this.current = { segment, handle, size: 0 };
    await previous.handle.close();
  }

  /** Cuts the file back to its last synced length; if even that fails, the log takes no more appends. */
  private async rollBack(active: ActiveSegment): Promise<void> {
    try {
      await active.handle.truncate(active.size);
      await active.handle.datasync();
    } catch (err) {
      this.broken = new LogClosedError(
        `event log unusable: a failed write could not be undone (${String(err)})`,
      );
    }
  }

  private fail(batch: PendingAppend[], err: Error): void {
    for (const pending of batch) pending.reject(err);
    const broken = this.broken;
    if (broken) for (const pending of this.queue.splice(0)) pending.reject(broken);
  }
}

function countRecords(batch: PendingAppend[]): number {
  return batch.reduce((sum, p) => sum + p.json.length, 0);
}

async function writeFully(handle: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await handle.write(buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}
