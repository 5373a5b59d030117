/**
 * Follows the JetStream log live (ADR 0035): an ordered consumer from a sequence on, delivering each
 * stored record in stream order with its partition token (the subject's last part: `0`..`P-1` or
 * `shared`) as it is stored, until stopped. The ordered consumer recreates itself after a reconnect or a
 * leader change and resumes after the last sequence it delivered, so nothing is skipped or repeated.
 * A record erased before it was read (its message deleted) is not delivered: its profile change was
 * applied before the erasure was asked for.
 */
import { DeliverPolicy } from '@nats-io/jetstream';
import type { LogRecord } from '../event-log.ts';
import { decodeRecord } from './nats-record-codec.ts';
import { FAILOVER_MS, retryFor } from './retry.ts';
import type { StreamRef } from './stream-reader.ts';

/** One record as the follower delivers it. */
export interface FollowedRecord {
  seq: number;
  record: LogRecord;
  appendedAt: number;
  /** the partition the record was published to: `'0'`..`'P-1'`, or `'shared'` */
  partition: string;
}

/** A running follower; `stop()` ends it (and resolves once no record is delivered any more). */
export interface StreamFollower {
  stop(): Promise<void>;
  /** resolves when the follower ends: stopped, or failed (rejects with why) */
  readonly done: Promise<void>;
}

/**
 * Delivers every record with seq >= `fromSeq` to `onRecord`, in order, as stored; `onRecord` may return
 * a promise, awaited before the next record (a worker pauses while it takes over a partition).
 *
 * Example: `const f = followStream(ref, 1, ({ seq, record }) => apply(seq, record)); ...; await f.stop();`
 */
export function followStream(
  ref: StreamRef,
  fromSeq: number,
  onRecord: (followed: FollowedRecord) => void | Promise<void>,
): StreamFollower {
  let stopped = false;
  let close: (() => Promise<void>) | undefined;
  const done = (async () => {
    const messages = await retryFor(FAILOVER_MS, async () => {
      const consumer = await ref.js.consumers.get(ref.name, {
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: Math.max(1, fromSeq),
      });
      return consumer.consume({ max_messages: 1024 });
    });
    close = async () => void (await messages.close());
    if (stopped) return void (await messages.close());
    for await (const msg of messages) {
      if (stopped) break;
      const stored = decodeRecord(msg.data, `JetStream stream ${ref.name} seq ${msg.seq}`);
      const partition = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
      const pending = onRecord({ seq: msg.seq, ...stored, partition });
      if (pending !== undefined) await pending;
    }
  })();
  return {
    done,
    async stop() {
      stopped = true;
      await close?.();
      await done.catch(() => undefined);
    },
  };
}
