/**
 * The writer of the JetStream log: appends queue, and one loop publishes everything queued as one group
 * (like the file log's group commit), so the records of one append get consecutive stream sequences.
 * The group's first message carries `Nats-Expected-Last-Sequence` (the last seq this writer knows), so
 * a second writer on the stream is refused instead of splitting an append; the rest are pipelined on
 * the same connection, which JetStream stores in order. Each record with an ID carries it as
 * `Nats-Msg-Id`, so a retried append does not store it twice within the stream's duplicate window.
 * An append resolves only after JetStream acknowledged every one of its records (on an R3 stream: a
 * majority of the replicas stored it).
 */
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager, PubAck } from '@nats-io/jetstream';
import { LogWriteError } from '../log-errors.ts';
import { retryFor } from './retry.ts';

/** One record as a message: its partition subject, its encoded body, and its ID for dedup if it has one. */
export interface OutMessage {
  subject: string;
  data: Uint8Array;
  msgID: string | undefined;
}

export interface AppenderOptions {
  /** how long to wait for each PubAck (ms) */
  ackTimeoutMs: number;
  /** how long to retry the group's first message while the stream has no leader (ms) */
  retryMs: number;
  /**
   * one of several writers of the stream (scale-out collectors and workers, ADR 0035): no expected-last
   * guard, and an append's records get increasing but not always consecutive seqs (other writers' records
   * may fall between them); every message carries a `Nats-Msg-Id`, so a publish retried after a lost
   * acknowledgement is not stored twice
   */
  shared?: boolean;
}

interface Pending {
  messages: OutMessage[];
  resolve: (last: number) => void;
  reject: (error: Error) => void;
}

/** at most this many records per group */
const MAX_GROUP = 4_096;

/**
 * Publishes appends to `stream` in groups; `last` is the stream's last seq when opened.
 *
 * Example: `const appender = new JetStreamAppender(js, jsm, 'DMP_LOG', info.state.last_seq, options);`
 */
export class JetStreamAppender {
  private readonly queue: Pending[] = [];
  private loop: Promise<void> | undefined;
  private resync = false;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private last: number,
    private readonly options: AppenderOptions,
  ) {}

  /** The last seq JetStream acknowledged to this writer (or found in the stream on open or resync). */
  lastSeq(): number {
    return this.last;
  }

  /** Resolves with the seq of the last of `messages` once all are acknowledged. */
  append(messages: OutMessage[]): Promise<number> {
    if (messages.length === 0) return Promise.resolve(this.last);
    return new Promise((resolve, reject) => {
      this.queue.push({ messages, resolve, reject });
      this.loop ??= this.run();
    });
  }

  /** Resolves when every queued append has settled. */
  async drain(): Promise<void> {
    while (this.loop !== undefined) await this.loop;
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0) {
      let count = 0;
      let take = 0;
      while (take < this.queue.length && (take === 0 || count < MAX_GROUP))
        count += this.queue[take++]?.messages.length ?? 0;
      await this.publishGroup(this.queue.splice(0, take));
    }
    this.loop = undefined;
  }

  private async publishGroup(group: Pending[]): Promise<void> {
    try {
      if (this.resync) {
        const info = await retryFor(this.options.retryMs, () => this.jsm.streams.info(this.stream));
        this.last = info.state.last_seq;
        this.resync = false;
      }
      const all = group.flatMap((pending) => pending.messages);
      if (this.options.shared === true) return await this.publishShared(group, all);
      const [head, ...rest] = all;
      if (head === undefined) return;
      const firstAck = await this.publishFirst(head);
      const settled = await Promise.allSettled(rest.map((m) => this.publish(m, undefined)));
      const acks: PubAck[] = [firstAck];
      for (const result of settled) {
        if (result.status === 'rejected') throw result.reason;
        acks.push(result.value);
      }
      let next = this.last + 1;
      for (const ack of acks) {
        if (ack.duplicate) continue;
        if (ack.seq !== next)
          throw new Error(
            `the stream stored a record at seq ${ack.seq} where ${next} was expected (another writer, or a leader change mid-group)`,
          );
        next++;
      }
      this.last = next - 1;
      let at = 0;
      for (const pending of group) {
        at += pending.messages.length;
        pending.resolve(acks[at - 1]?.seq ?? this.last);
      }
    } catch (error) {
      this.resync = true;
      const message = error instanceof Error ? error.message : String(error);
      const failure = new LogWriteError(`appending to JetStream stream ${this.stream} failed: ${message}`, {
        cause: error,
      });
      for (const pending of group) pending.reject(failure);
    }
  }

  /** A shared writer's group: every message pipelined, each retried while the stream has no leader. */
  private async publishShared(group: Pending[], all: OutMessage[]): Promise<void> {
    const acks = await Promise.all(
      all.map((m) => retryFor(this.options.retryMs, () => this.publish(m, undefined))),
    );
    for (const ack of acks) if (ack.seq > this.last) this.last = ack.seq;
    let at = 0;
    for (const pending of group) {
      const mine = acks.slice(at, at + pending.messages.length);
      at += pending.messages.length;
      pending.resolve(Math.max(...mine.map((ack) => ack.seq)));
    }
  }

  /** Learns the stream's last seq (a shared writer's `lastSeq` counts only its own appends otherwise). */
  async syncLast(): Promise<number> {
    const info = await retryFor(this.options.retryMs, () => this.jsm.streams.info(this.stream));
    if (info.state.last_seq > this.last) this.last = info.state.last_seq;
    return this.last;
  }

  /** The group's first message, guarded by the expected last seq, retried while there is no leader. */
  private publishFirst(message: OutMessage): Promise<PubAck> {
    return retryFor(
      this.options.retryMs,
      () => this.publish(message, this.last),
      (error) =>
        error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence,
    );
  }

  private publish(message: OutMessage, expectLast: number | undefined): Promise<PubAck> {
    return this.js.publish(message.subject, message.data, {
      timeout: this.options.ackTimeoutMs,
      ...(message.msgID === undefined ? {} : { msgID: message.msgID }),
      ...(expectLast === undefined ? {} : { expect: { lastSequence: expectLast } }),
    });
  }
}
