import type { LogRecord } from './event-log.ts';
import { CorruptLogError } from './log-errors.ts';
import type { Segment } from './segment-files.ts';
import { scanSegment } from './segment-scanner.ts';
import type { ScanDamage } from './segment-scanner.ts';

/** A segment as it stood when a replay began: sealed ones are read whole, the active one up to `limitBytes`. */
export interface SegmentSnapshot {
  segment: Segment;
  limitBytes: number | undefined;
}

/**
 * Streams the records with `seq >= fromSeq` of the snapshotted segments, in order, skipping segments
 * that lie wholly before `fromSeq`. A damaged record rejects with `CorruptLogError` (file and offset).
 * A segment deleted by retention while the replay ran (no longer in `live`) is skipped.
 *
 * Example: `await replaySegments(snapshot, segments, 1, (seq, record) => apply(record));`
 */
export async function replaySegments(
  snapshot: readonly SegmentSnapshot[],
  live: readonly Segment[],
  fromSeq: number,
  onRecord: (seq: number, record: LogRecord) => void,
): Promise<void> {
  for (let i = 0; i < snapshot.length; i++) {
    const part = snapshot[i];
    const nextFirstSeq = snapshot[i + 1]?.segment.firstSeq;
    if (part === undefined || (nextFirstSeq !== undefined && nextFirstSeq <= fromSeq)) continue;
    const { segment, limitBytes } = part;
    const scan = await scanSegment(segment.path, segment.firstSeq, {
      ...(limitBytes === undefined ? {} : { limitBytes }),
      onRecord: (seq, _appendedAt, buf, start, end) => {
        if (seq >= fromSeq) onRecord(seq, JSON.parse(buf.toString('utf8', start, end)) as LogRecord);
      },
    }).catch((err: unknown) => {
      if (isMissing(err) && !live.includes(segment)) return undefined;
      throw err;
    });
    if (scan === undefined) continue;
    if (scan.damage)
      throw new CorruptLogError(segment.path, scan.damage.offset, describe(scan.damage.reason));
    if (nextFirstSeq !== undefined && scan.lastSeq !== nextFirstSeq - 1) {
      const why = `segment ends at seq ${scan.lastSeq} but the next one starts at ${nextFirstSeq}`;
      throw new CorruptLogError(segment.path, scan.goodBytes, why);
    }
    segment.maxAppendedAt ??= scan.maxAppendedAt;
  }
}

function isMissing(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'ENOENT';
}

/**
 * A reader's words for a scan's damage.
 *
 * Example: `describe('crc') // "checksum mismatch"`
 */
export function describe(reason: ScanDamage): string {
  switch (reason) {
    case 'torn':
      return 'record cut short';
    case 'length':
      return 'impossible record length';
    case 'crc':
      return 'checksum mismatch';
    case 'seq':
      return 'record out of sequence';
  }
}
