/**
 * The JetStream log as the port shows it: the log stream's messages, with every seq the erasure overlay
 * holds read from there instead (replaced or tombstoned records, whose messages are deleted), from the
 * retention floor on. A seq in neither is damage (`CorruptLogError`): nothing else takes a message out.
 */
import type { LogRecord } from '../event-log.ts';
import { CorruptLogError } from '../log-errors.ts';
import type { OverlayState } from './erasure-overlay.ts';
import { decodeRecord } from './nats-record-codec.ts';
import { readStream } from './stream-reader.ts';
import type { StreamRef } from './stream-reader.ts';

/**
 * One seq of the log: its record and append time, and whether the log stream still stores a message
 * under it (false for an erased one whose message is already deleted).
 */
export interface ScannedRecord {
  seq: number;
  record: LogRecord;
  appendedAt: number;
  inStream: boolean;
}

/**
 * Calls `visit` for every seq from `max(fromSeq, floor)` to `untilSeq`, in order; `visit` returning
 * `false` stops the scan.
 *
 * Example: `await scanLog(ref, await overlay.load(), 1, log.lastSeq(), (r) => void out.push(r));`
 */
export async function scanLog(
  ref: StreamRef,
  overlay: OverlayState,
  fromSeq: number,
  untilSeq: number,
  visit: (scanned: ScannedRecord) => boolean | void,
): Promise<void> {
  let next = Math.max(fromSeq, overlay.floor, 1);
  let stopped = false;
  const fromOverlay = (seq: number, inStream: boolean): boolean => {
    const entry = overlay.entries.get(seq);
    if (entry === undefined) return false;
    if (visit({ seq, ...entry, inStream }) === false) stopped = true;
    return true;
  };
  const gapsUntil = (end: number) => {
    for (; next < end && !stopped; next++) {
      if (!fromOverlay(next, false))
        throw new CorruptLogError(`JetStream stream ${ref.name}`, 0, `seq ${next} is missing`);
    }
  };
  await readStream(ref, next, untilSeq, (msg) => {
    gapsUntil(msg.seq);
    if (stopped) return false;
    if (!fromOverlay(msg.seq, true)) {
      const stored = decodeRecord(msg.data, `JetStream stream ${ref.name} seq ${msg.seq}`);
      if (visit({ seq: msg.seq, ...stored, inStream: true }) === false) stopped = true;
    }
    next = msg.seq + 1;
    return !stopped;
  });
  gapsUntil(untilSeq + 1);
}
