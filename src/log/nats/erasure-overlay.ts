/**
 * What `erase` and `dropOlderThan` of the JetStream log keep beside the stream (ADR 0033): JetStream can
 * delete a message but not rewrite it, so a record that erasure replaces (by a tombstone, or by a
 * smaller record) is first written here under its seq, then deleted from the log stream. Replay reads a
 * seq from here when it is here, so the seqs stay consecutive. The retention floor (the first seq
 * retention kept) lives here too, written before the log stream is purged.
 *
 * It is a second stream, `<stream>_ERASED`, subjects `<prefix>-erased.<seq>` and `<prefix>-erased.floor`,
 * one message per subject (`max_msgs_per_subject: 1`), replicated like the log stream. Every write is
 * idempotent, so each is retried while the cluster elects a leader.
 */
import { StorageType } from '@nats-io/jetstream';
import type { StreamConfig } from '@nats-io/jetstream';
import type { LogRecord } from '../event-log.ts';
import { decodeRecord, encodeRecord } from './nats-record-codec.ts';
import type { StoredRecord } from './nats-record-codec.ts';
import { FAILOVER_MS, retryFor } from './retry.ts';
import { readStream } from './stream-reader.ts';
import type { StreamRef } from './stream-reader.ts';

/** The overlay as read at one moment: records by seq, and the first seq retention kept (1 at first). */
export interface OverlayState {
  entries: Map<number, StoredRecord>;
  floor: number;
}

/**
 * The overlay stream of the log stream `stream` whose subjects start with `prefix`.
 *
 * Example: `const overlay = new ErasureOverlay(js, jsm, 'DMP_LOG', 'dmp.log');`
 */
export class ErasureOverlay {
  readonly ref: StreamRef;
  private readonly prefix: string;

  constructor(ref: Omit<StreamRef, 'name' | 'subjects'>, stream: string, prefix: string) {
    this.prefix = `${prefix}-erased`;
    this.ref = { ...ref, name: `${stream}_ERASED`, subjects: `${this.prefix}.*` };
  }

  /** The overlay stream's config, with `replicas` like the log stream's. */
  config(replicas: number): Partial<StreamConfig> & { name: string } {
    return {
      name: this.ref.name,
      subjects: [this.ref.subjects],
      storage: StorageType.File,
      num_replicas: replicas,
      max_msgs_per_subject: 1,
    };
  }

  /** Reads every entry and the floor (entries below the floor are left-overs of a retention: skipped). */
  async load(): Promise<OverlayState> {
    const entries = new Map<number, StoredRecord>();
    let floor = 1;
    const info = await retryFor(FAILOVER_MS, () => this.ref.jsm.streams.info(this.ref.name));
    await readStream(this.ref, info.state.first_seq, info.state.last_seq, (msg) => {
      const token = msg.subject.slice(this.prefix.length + 1);
      if (token === 'floor') floor = Number(msg.string());
      else entries.set(Number(token), decodeRecord(msg.data, `${this.ref.name} ${msg.subject}`));
    });
    for (const seq of entries.keys()) if (seq < floor) entries.delete(seq);
    return { entries, floor };
  }

  /** Stores `record` (appended at `appendedAt`) as what the log holds under `seq`, durably. */
  async put(seq: number, record: LogRecord, appendedAt: number): Promise<void> {
    const data = encodeRecord(record, appendedAt);
    await retryFor(FAILOVER_MS, () => this.ref.js.publish(`${this.prefix}.${seq}`, data));
  }

  /** Stores the retention floor: seqs below it are gone from the log. */
  async setFloor(floor: number): Promise<void> {
    await retryFor(FAILOVER_MS, () => this.ref.js.publish(`${this.prefix}.floor`, String(floor)));
  }

  /** Removes the entries of `seqs` (all below the floor, so no longer part of the log). */
  async remove(seqs: Iterable<number>): Promise<void> {
    for (const seq of seqs)
      await retryFor(FAILOVER_MS, () =>
        this.ref.jsm.streams.purge(this.ref.name, { filter: `${this.prefix}.${seq}` }),
      );
  }
}
