/**
 * Erasure and retention of the JetStream log (ADR 0033). Erasure: each record the filter drops (or
 * replaces) is written to the erasure overlay under its seq, then its message is deleted from the log
 * stream with JetStream's secure erase (the stored bytes are overwritten, on every replica), so the seqs
 * stay consecutive and no dropped byte stays in the log stream. Retention: the floor goes to the overlay,
 * then the log stream is purged below it (`purge` up to a seq), then the overlay's entries below it.
 */
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { EraseFilter, EraseResult, LogRecord } from '../event-log.ts';
import type { ErasureOverlay } from './erasure-overlay.ts';
import { scanLog } from './log-scan.ts';
import { FAILOVER_MS, retryFor } from './retry.ts';
import type { StreamRef } from './stream-reader.ts';

interface Change {
  seq: number;
  record: LogRecord;
  appendedAt: number;
  inStream: boolean;
}

/**
 * Erases what `drop` drops among seqs `1 ..  untilSeq`. `erased` counts records replaced (by a tombstone
 * or by the record `drop` gave); `segmentsRewritten` counts log-stream messages deleted (there are no
 * files of ours to rewrite: it is the physical work done).
 *
 * Example: `await eraseFromStream(ref, overlay, visitorMatcher('t1', 'c-1', {}, { beforeSeq }), lastSeq)`
 */
export async function eraseFromStream(
  ref: StreamRef,
  overlay: ErasureOverlay,
  drop: EraseFilter,
  untilSeq: number,
): Promise<EraseResult> {
  const state = await overlay.load();
  const changes: Change[] = [];
  // in the overlay, but a crash came before the message was deleted: finished here
  const leftovers: number[] = [];
  await scanLog(ref, state, 1, untilSeq, ({ seq, record, appendedAt, inStream }) => {
    const leftover = inStream && state.entries.has(seq);
    if (leftover) leftovers.push(seq);
    if (record.kind === 'erased') return;
    const verdict = drop(record, seq);
    if (verdict === false) return;
    const replacement = verdict === true ? { kind: 'erased' as const, tenant: record.tenant } : verdict;
    changes.push({ seq, record: replacement, appendedAt, inStream: inStream && !leftover });
  });
  let deleted = 0;
  for (const change of changes) {
    await overlay.put(change.seq, change.record, change.appendedAt);
    if (change.inStream && (await deleteMessage(ref, change.seq))) deleted++;
  }
  for (const seq of leftovers) if (await deleteMessage(ref, seq)) deleted++;
  return { erased: changes.length, segmentsRewritten: deleted };
}

/** Securely deletes the message under `seq` from the log stream; false if it was already gone. */
async function deleteMessage(ref: StreamRef, seq: number): Promise<boolean> {
  const gone = (error: unknown) =>
    error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound;
  try {
    return await retryFor(FAILOVER_MS, () => ref.jsm.streams.deleteMessage(ref.name, seq, true), gone);
  } catch (error) {
    if (gone(error)) return false;
    throw error;
  }
}

/**
 * Drops the longest prefix of seqs appended before `cutoffMs` (records and tombstones alike) and
 * returns how many seqs it dropped.
 *
 * Example: `await dropPrefixOlderThan(ref, overlay, Date.now() - 90 * 86_400_000, log.lastSeq())`
 */
export async function dropPrefixOlderThan(
  ref: StreamRef,
  overlay: ErasureOverlay,
  cutoffMs: number,
  untilSeq: number,
): Promise<number> {
  const state = await overlay.load();
  const first = Math.max(state.floor, 1);
  let keep = untilSeq + 1;
  await scanLog(ref, state, first, untilSeq, ({ seq, appendedAt }) => {
    if (appendedAt < cutoffMs) return true;
    keep = seq;
    return false;
  });
  if (keep <= first) return 0;
  await overlay.setFloor(keep);
  await retryFor(FAILOVER_MS, () => ref.jsm.streams.purge(ref.name, { seq: keep }));
  await overlay.remove([...state.entries.keys()].filter((seq) => seq < keep));
  return keep - first;
}
