import type { LogRecord } from './event-log.ts';
import { CorruptLogError } from './log-errors.ts';
import type { Segment } from './segment-files.ts';
import { scanSegment } from './segment-scanner.ts';
import type { ScanDamage } from './segment-scanner.ts';

/** The log as a replay sees it: the segments and the last durable seq when it began. */
export interface ReplayView {
  /** the segments when the replay began, oldest first */
  snapshot: readonly Segment[];
  /** the segments now: retention removes old ones while a replay runs */
  live: readonly Segment[];
  /** the last durable seq when the replay began; later records are not delivered */
  untilSeq: number;
  /**
   * How much of `segment` may be read now: the durable length of the active segment, `undefined` (the
   * whole file) for a sealed one. Asked when the segment's turn comes, because `erase` may have sealed
   * and rewritten (shortened) the segment that was active when the replay began.
   */
  readableBytes: (segment: Segment) => number | undefined;
}

/**
 * Streams the records with `fromSeq <= seq <= view.untilSeq` of the snapshotted segments, in order (each
 * with its `appendedAt`),
 * skipping segments that lie wholly before `fromSeq`. A damaged record rejects with `CorruptLogError`
 * (file and offset). A segment deleted by retention while the replay ran (no longer live) is skipped.
 *
 * Example: `await replaySegments({ snapshot, live, untilSeq, readableBytes }, 1, (seq, record) => apply(record));`
 */
export async function replaySegments(
  view: ReplayView,
  fromSeq: number,
  onRecord: (seq: number, record: LogRecord, appendedAt: number) => void,
): Promise<void> {
  const { snapshot, live, untilSeq } = view;
  for (let i = 0; i < snapshot.length; i++) {
    const segment = snapshot[i];
    const nextFirstSeq = snapshot[i + 1]?.firstSeq;
    if (segment === undefined || (nextFirstSeq !== undefined && nextFirstSeq <= fromSeq)) continue;
    if (segment.firstSeq > untilSeq) break;
    const limitBytes = view.readableBytes(segment);
    const scan = await scanSegment(segment.path, segment.firstSeq, {
      ...(limitBytes === undefined ? {} : { limitBytes }),
      onRecord: (seq, appendedAt, buf, start, end) => {
        if (seq >= fromSeq && seq <= untilSeq)
          onRecord(seq, JSON.parse(buf.toString('utf8', start, end)) as LogRecord, appendedAt);
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
