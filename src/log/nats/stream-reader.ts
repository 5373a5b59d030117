/**
 * Reads a range of a JetStream stream in stream order with an ordered consumer, and knows when the range
 * is done although stored messages may be missing from it (deleted by erasure, purged by retention):
 * it starts at the first stored message at or after `from` (a direct "next by subject" get), stops at
 * `until` or at the stream's last stored message (`pending` 0), and a watchdog stops it when nothing
 * more arrives and the stream holds nothing more in the range (a message deleted while it was read).
 */
import { DeliverPolicy } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { FAILOVER_MS, retryFor } from './retry.ts';

/** The stream to read: its name and a subject filter that matches all its messages (e.g. `dmp.log.*`). */
export interface StreamRef {
  js: JetStreamClient;
  jsm: JetStreamManager;
  name: string;
  subjects: string;
}

const WATCHDOG_MS = 1_000;

/**
 * The stream sequence of the first stored message at or after `seq`, or `undefined` if there is none.
 *
 * Example: `await firstStoredFrom(ref, 1) // 3 when 1 and 2 were erased`
 */
export async function firstStoredFrom(ref: StreamRef, seq: number): Promise<number | undefined> {
  const query = { seq, next_by_subj: ref.subjects };
  const found = await ref.jsm.streams.getMessage(ref.name, query);
  return found === null ? undefined : found.seq;
}

/**
 * Calls `onMessage` for each stored message with `from <= seq <= until`, in stream order, and resolves
 * after the last one; `onMessage` returning `false` stops the read early.
 *
 * Example: `await readStream(ref, 1, info.state.last_seq, (m) => void seen.push(m.seq));`
 */
export async function readStream(
  ref: StreamRef,
  from: number,
  until: number,
  onMessage: (msg: JsMsg) => boolean | void,
): Promise<void> {
  if (from > until) return;
  const first = await retryFor(FAILOVER_MS, () => firstStoredFrom(ref, from));
  if (first === undefined || first > until) return;
  const messages = await retryFor(FAILOVER_MS, async () => {
    const consumer = await ref.js.consumers.get(ref.name, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: first,
    });
    return consumer.consume({ max_messages: 512 });
  });
  let lastSeen = first - 1;
  let seenSinceTick = true;
  const watchdog = setInterval(() => {
    if (seenSinceTick) {
      seenSinceTick = false;
      return;
    }
    firstStoredFrom(ref, lastSeen + 1).then(
      (next) => {
        if (next === undefined || next > until) void messages.close();
      },
      () => undefined, // the next tick asks again
    );
  }, WATCHDOG_MS);
  try {
    for await (const msg of messages) {
      seenSinceTick = true;
      if (msg.seq > until) break;
      lastSeen = msg.seq;
      if (onMessage(msg) === false || msg.seq >= until || msg.info.pending === 0) break;
    }
  } finally {
    clearInterval(watchdog);
    await messages.close();
  }
}
