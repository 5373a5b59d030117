import type { EraseFilter, EraseResult, LogRecord } from './event-log.ts';
import type { GroupCommitWriter } from './group-commit-writer.ts';
import { CorruptLogError } from './log-errors.ts';
import { describe } from './log-replay.ts';
import type { Segment } from './segment-files.ts';
import { scanSegment } from './segment-scanner.ts';
import { rewriteSegment } from './segment-rewrite.ts';

/**
 * Replaces the records `drop` picks, among those durable when it starts, by tombstones with the same
 * seq, one segment file at a time (see `rewriteSegment`: crash-safe). Segments with nothing to drop are
 * left alone. The active segment is first sealed by the writer (a rotation between two batches), so
 * erase and the writer never touch the same file; appends go on into the new segment meanwhile.
 * The caller keeps retention from running at the same time.
 *
 * Example: `const { erased } = await eraseRecords(segments, writer, (r) => r.kind === 'event' && r.event.uid === 'c-1');`
 */
export async function eraseRecords(
  segments: readonly Segment[],
  writer: GroupCommitWriter,
  drop: EraseFilter,
): Promise<EraseResult> {
  const horizon = writer.lastSeq();
  const offered = (seq: number, record: LogRecord): boolean | LogRecord =>
    seq <= horizon && record.kind !== 'erased' && drop(record, seq);
  const result: EraseResult = { erased: 0, segmentsRewritten: 0 };
  for (const segment of [...segments]) {
    if (segment.firstSeq > horizon) break;
    const active = writer.active();
    if (segment === active.segment) {
      if (!(await holdsDropped(segment, active.size, offered))) continue;
      await writer.seal(segment);
      if (writer.active().segment === segment) throw new Error('the active segment could not be sealed');
    }
    const next = segments[segments.indexOf(segment) + 1];
    const erased = await rewriteSegment(segment, next?.firstSeq, offered);
    if (erased > 0) {
      result.erased += erased;
      result.segmentsRewritten++;
    }
  }
  return result;
}

/** Whether the first `limitBytes` of the active segment hold a record to drop (read only). */
async function holdsDropped(
  segment: Segment,
  limitBytes: number,
  offered: (seq: number, record: LogRecord) => boolean | LogRecord,
): Promise<boolean> {
  let found = false;
  const scan = await scanSegment(segment.path, segment.firstSeq, {
    limitBytes,
    onRecord: (seq, _at, buf, start, end) => {
      found ||= offered(seq, JSON.parse(buf.toString('utf8', start, end)) as LogRecord) !== false;
    },
  });
  if (scan.damage) throw new CorruptLogError(segment.path, scan.damage.offset, describe(scan.damage.reason));
  return found;
}
