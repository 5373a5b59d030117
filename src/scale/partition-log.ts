/**
 * One partition's view of the JetStream log, for the engine a worker runs on that partition (ADR 0035):
 * replay and `lastSeq` show only the records published to this partition and to `shared`, up to the seq
 * the worker has delivered (`through`, advanced by the worker as it follows the stream); appends and
 * erasures go to the whole stream. The worker owns the stream's connection: `close` leaves it open.
 * Retention is the deployment's (a stream limit), not an engine's: `dropOlderThan` drops nothing here.
 */
import type { EraseFilter, EraseResult, EventLog, LogRecord } from '../log/event-log.ts';
import type { JetStreamEventLog } from '../log/nats/nats-event-log.ts';
import { SHARED_PARTITION, partitionOf } from '../log/nats/partition.ts';

/**
 * Example:
 * ```ts
 * const view = new PartitionLog(stream, 5, 1200); // partition 5, stream delivered through seq 1200
 * await view.replay(1, (seq, record) => apply(seq, record)); // partition 5's and shared records <= 1200
 * view.advance(1201);
 * ```
 */
export class PartitionLog implements EventLog {
  private readonly token: string;

  constructor(
    private readonly stream: JetStreamEventLog,
    readonly partition: number,
    private through: number,
  ) {
    this.token = String(partition);
  }

  /** Whether a record belongs to this view: published to this partition or to `shared`. */
  holds(record: LogRecord): boolean {
    return this.holdsPublished(partitionOf(record, this.stream.partitions));
  }

  /** Whether a record published to `partition` (a number, or `shared`) belongs to this view. */
  holdsPublished(partition: string): boolean {
    return partition === this.token || partition === SHARED_PARTITION;
  }

  /** The worker delivered the stream through `seq`. */
  advance(seq: number): void {
    if (seq > this.through) this.through = seq;
  }

  append(records: readonly LogRecord[]): Promise<number> {
    return this.stream.append(records);
  }

  replay(
    fromSeq: number,
    onRecord: (seq: number, record: LogRecord, appendedAt: number) => void,
  ): Promise<void> {
    return this.stream.replayBetween(fromSeq, this.through, (seq, record, appendedAt) => {
      if (this.holds(record)) onRecord(seq, record, appendedAt);
    });
  }

  lastSeq(): number {
    return this.through;
  }

  dropOlderThan(): Promise<number> {
    return Promise.resolve(0);
  }

  erase(drop: EraseFilter): Promise<EraseResult> {
    return this.stream.erase(drop);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
