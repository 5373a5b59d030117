/**
 * Follows the JetStream log live (ADR 0035): an ordered consumer from a sequence on, delivering each
 * stored record in stream order with its partition token (the subject's last part: `0`..`P-1` or
 * `shared`) as it is stored, until stopped. The ordered consumer recreates itself after a reconnect or a
 * leader change and resumes after the last sequence it delivered; if its messages end all the same (its
 * server was lost), the follower makes a new one from the next seq. Nothing is skipped or repeated.
 * A record erased before it was read (its message deleted) is not delivered: its profile change was
 * applied before the erasure was asked for.
 */
import { DeliverPolicy } from '@nats-io/jetstream';
import type { LogRecord } from '../event-log.ts';
import { CorruptLogError } from '../log-errors.ts';
import { decodeRecord } from './nats-record-codec.ts';
import { FAILOVER_MS, retryFor } from './retry.ts';
import type { StreamRef } from './stream-reader.ts';

/** How long a consumer may deliver nothing while the stream holds more before it is made again (ms). */
const STALL_MS = 2_000;

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
  let next = Math.max(1, fromSeq);
  let close: (() => Promise<void>) | undefined;
  const done = (async () => {
    // the consumer's messages end when its server goes away for good (a killed cluster node): it is
    // made again from the next seq, so the follower never stops before `stop()`
    while (!stopped) {
      try {
        const messages = await retryFor(FAILOVER_MS, async () => {
          const consumer = await ref.js.consumers.get(ref.name, {
            deliver_policy: DeliverPolicy.StartSequence,
            opt_start_seq: next,
          });
          return consumer.consume({ max_messages: 1024 });
        });
        close = async () => void (await messages.close());
        if (stopped) break;
        // a consumer that went quiet while the stream holds more (its server lost mid-election) is closed,
        // and made again below
        let seen = true;
        const watchdog = setInterval(() => {
          if (seen) {
            seen = false;
            return;
          }
          ref.jsm.streams.info(ref.name).then(
            (info) => {
              if (info.state.last_seq >= next) void messages.close();
            },
            () => undefined,
          );
        }, STALL_MS);
        try {
          for await (const msg of messages) {
            seen = true;
            if (stopped) break;
            if (msg.seq < next) continue; // delivered before the consumer was made again
            const stored = decodeRecord(msg.data, `JetStream stream ${ref.name} seq ${msg.seq}`);
            const partition = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
            const pending = onRecord({ seq: msg.seq, ...stored, partition });
            if (pending !== undefined) await pending;
            next = msg.seq + 1;
          }
        } finally {
          clearInterval(watchdog);
        }
        await messages.close();
      } catch (error) {
        if (error instanceof CorruptLogError) throw error;
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 250));
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
