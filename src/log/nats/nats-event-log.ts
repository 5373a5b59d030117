/**
 * The event log on NATS JetStream (ADR 0033), the first brick of scale-out (issue 18): one stream per
 * deployment (`DMP_LOG` by default), subjects `<prefix>.<partition>` (`dmp.log.0` .. `dmp.log.7`, and
 * `dmp.log.shared` for tenant-level records; `partition.ts`), each record one message in the file log's
 * record frame (`nats-record-codec.ts`). The port's seq is the stream sequence. Erasure and retention
 * keep a second stream, the erasure overlay (`erasure-overlay.ts`).
 *
 * One writer per stream: appends of one process are published in order as groups and the group's first
 * message is guarded by the expected last sequence (`jetstream-appender.ts`). Readers are free.
 */
import { randomUUID } from 'node:crypto';
import { onNatsConnection } from './connect-nats.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  JetStreamApiCodes,
  JetStreamApiError,
  StorageType,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { JetStreamManager, StreamConfig, StreamInfo } from '@nats-io/jetstream';
import type { EraseFilter, EraseResult, EventLog, LogRecord } from '../event-log.ts';
import { LogClosedError } from '../log-errors.ts';
import { ErasureOverlay } from './erasure-overlay.ts';
import { JetStreamAppender } from './jetstream-appender.ts';
import type { OutMessage } from './jetstream-appender.ts';
import { scanLog } from './log-scan.ts';
import { dropPrefixOlderThan, eraseFromStream } from './nats-maintenance.ts';
import { encodeRecord } from './nats-record-codec.ts';
import { partitionOf } from './partition.ts';
import { retryFor } from './retry.ts';
import type { StreamRef } from './stream-reader.ts';
import { followStream } from './stream-follower.ts';
import type { FollowedRecord, StreamFollower } from './stream-follower.ts';

export interface NatsEventLogOptions {
  /** the NATS servers, e.g. `['nats://10.0.0.1:4222', 'nats://10.0.0.2:4222']` (failover among them) */
  servers: string | string[];
  /** the stream's name (default `DMP_LOG`); its erasure overlay is `<stream>_ERASED` */
  stream?: string;
  /** the subjects' prefix (default `dmp.log`): records go to `<prefix>.<partition>` */
  subjectPrefix?: string;
  /** profile partitions (default 8); the same for every process of a deployment */
  partitions?: number;
  /** stream replicas when this call creates the streams: 1, or 3 on a cluster (default 1) */
  replicas?: number;
  /** the clock stamped on records as `appendedAt` (default `Date.now`) */
  now?: () => number;
  /** how long to wait for each PubAck (default 10 s) */
  ackTimeoutMs?: number;
  /** how long an append retries while the stream has no leader, e.g. a node was lost (default 15 s) */
  retryMs?: number;
  /**
   * one of several writers (scale-out collectors and workers, ADR 0035): an append's records get
   * increasing seqs that other writers' records may fall between, and `lastSeq()` is the last this
   * process appended or learnt (`syncLastSeq`). Default false: the one writer of ADR 0033.
   */
  shared?: boolean;
}

/**
 * The JetStream log with what scale-out needs beyond the port: following it live, reading a bounded
 * range, and learning the stream's last seq (written by other processes too).
 */
export interface JetStreamEventLog extends EventLog {
  /** the partition count records are spread over (`dmp.log.0` .. `dmp.log.<P-1>`, and `shared`) */
  readonly partitions: number;
  /** follows the stream from `fromSeq` on, live (`stream-follower.ts`) */
  follow(fromSeq: number, onRecord: (followed: FollowedRecord) => void | Promise<void>): StreamFollower;
  /** `replay` of the seqs `fromSeq` .. `untilSeq` only (erased ones as tombstones) */
  replayBetween(
    fromSeq: number,
    untilSeq: number,
    onRecord: (seq: number, record: LogRecord, appendedAt: number) => void,
  ): Promise<void>;
  /** reads the stream's last seq from JetStream (every writer's records), and keeps it as `lastSeq()` */
  syncLastSeq(): Promise<number>;
}

/**
 * Connects to NATS, creates the stream and its overlay if they do not exist (an existing stream must have
 * the subjects this expects), and opens the log at the stream's last sequence.
 *
 * Example:
 * ```ts
 * const log = await openNatsEventLog({ servers: ['nats://127.0.0.1:4222'], replicas: 3 });
 * const seq = await log.append([{ kind: 'delete', tenant: 't1', uid: 'c-123' }]); // acked by JetStream
 * await log.replay(1, (seq, record) => apply(record));
 * await log.close();
 * ```
 */
export async function openNatsEventLog(options: NatsEventLogOptions): Promise<JetStreamEventLog> {
  const stream = options.stream ?? 'DMP_LOG';
  const prefix = options.subjectPrefix ?? 'dmp.log';
  const partitions = options.partitions ?? 8;
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new RangeError(`partitions must be a whole number from 1, not ${partitions}`);
  return onNatsConnection(options.servers, async (nc) => {
    const jsm = await jetstreamManager(nc);
    const ref: StreamRef = { js: jetstream(nc), jsm, name: stream, subjects: `${prefix}.*` };
    const overlay = new ErasureOverlay(ref, stream, prefix);
    const replicas = options.replicas ?? 1;
    const logConfig: Partial<StreamConfig> & { name: string } = {
      name: stream,
      subjects: [ref.subjects],
      storage: StorageType.File,
      num_replicas: replicas,
    };
    const retryMs = options.retryMs ?? 15_000;
    const info = await ensureStream(jsm, logConfig, retryMs);
    await ensureStream(jsm, overlay.config(replicas), retryMs);
    const appender = new JetStreamAppender(ref.js, jsm, stream, info.state.last_seq, {
      ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
      retryMs,
      shared: options.shared === true,
    });
    const layout = {
      prefix,
      partitions,
      maxPayload: nc.info?.max_payload ?? 1024 * 1024,
      shared: options.shared === true,
    };
    return new NatsEventLog(nc, ref, overlay, appender, layout, options.now ?? Date.now);
  });
}

/** Creates the stream, or checks the existing one's subjects; retried while the cluster has no leader. */
async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
  retryMs: number,
): Promise<StreamInfo> {
  const want = (config.subjects ?? []).join(',');
  const existing = await retryFor(retryMs, () =>
    jsm.streams.info(config.name).catch((error: unknown) => {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)
        return undefined;
      throw error;
    }),
  );
  if (existing === undefined) return retryFor(retryMs, () => jsm.streams.add(config));
  if (existing.config.subjects.join(',') !== want)
    throw new Error(
      `JetStream stream ${config.name} exists with subjects ${existing.config.subjects.join(',')}, not ${want}`,
    );
  return existing;
}

interface Layout {
  prefix: string;
  partitions: number;
  maxPayload: number;
  /** one of several writers: every message gets a `Nats-Msg-Id`, and reads learn the last seq first */
  shared: boolean;
}

class NatsEventLog implements JetStreamEventLog {
  /** erasure and retention, one at a time */
  private maintenance: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly ref: StreamRef,
    private readonly overlay: ErasureOverlay,
    private readonly appender: JetStreamAppender,
    private readonly layout: Layout,
    private readonly now: () => number,
  ) {}

  append(records: readonly LogRecord[]): Promise<number> {
    if (this.closing) return Promise.reject(new LogClosedError());
    const appendedAt = this.now();
    const messages: OutMessage[] = [];
    for (const record of records) {
      const data = encodeRecord(record, appendedAt);
      if (data.length > this.layout.maxPayload - 1024)
        return Promise.reject(
          new RangeError(
            `log record of ${data.length} bytes is over what the NATS server takes (max_payload ${this.layout.maxPayload}); raise max_payload in its config`,
          ),
        );
      const subject = `${this.layout.prefix}.${partitionOf(record, this.layout.partitions)}`;
      const msgID =
        record.kind === 'event' && record.event.id !== undefined
          ? `${record.tenant}/${record.event.id}`
          : this.layout.shared
            ? randomUUID()
            : undefined;
      messages.push({ subject, data, msgID });
    }
    return this.appender.append(messages);
  }

  get partitions(): number {
    return this.layout.partitions;
  }

  follow(fromSeq: number, onRecord: (followed: FollowedRecord) => void | Promise<void>): StreamFollower {
    return followStream(this.ref, fromSeq, onRecord);
  }

  syncLastSeq(): Promise<number> {
    return this.appender.syncLast();
  }

  async replay(
    fromSeq: number,
    onRecord: (seq: number, record: LogRecord, appendedAt: number) => void,
  ): Promise<void> {
    if (this.layout.shared) await this.appender.syncLast();
    await this.replayBetween(fromSeq, this.appender.lastSeq(), onRecord);
  }

  async replayBetween(
    fromSeq: number,
    untilSeq: number,
    onRecord: (seq: number, record: LogRecord, appendedAt: number) => void,
  ): Promise<void> {
    const state = await this.overlay.load();
    await scanLog(this.ref, state, fromSeq, untilSeq, ({ seq, record, appendedAt }) => {
      onRecord(seq, record, appendedAt);
    });
  }

  lastSeq(): number {
    return this.appender.lastSeq();
  }

  dropOlderThan(cutoffMs: number): Promise<number> {
    if (this.closing) return Promise.reject(new LogClosedError());
    return this.serially(async () =>
      dropPrefixOlderThan(this.ref, this.overlay, cutoffMs, await this.knownLastSeq()),
    );
  }

  erase(drop: EraseFilter): Promise<EraseResult> {
    if (this.closing) return Promise.reject(new LogClosedError());
    return this.serially(async () =>
      eraseFromStream(this.ref, this.overlay, drop, await this.knownLastSeq()),
    );
  }

  /** The last seq to work up to: this writer's, or with several writers the stream's own. */
  private async knownLastSeq(): Promise<number> {
    return this.layout.shared ? this.appender.syncLast() : this.appender.lastSeq();
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.maintenance.then(task);
    this.maintenance = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.appender.drain();
      await this.maintenance;
      await this.nc.close();
    })();
    return this.closing;
  }
}
