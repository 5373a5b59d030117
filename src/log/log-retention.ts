import { unlink } from 'node:fs/promises';
import { CorruptLogError } from './log-errors.ts';
import { describe } from './log-replay.ts';
import { syncDir } from './segment-files.ts';
import type { Segment } from './segment-files.ts';
import { scanSegment } from './segment-scanner.ts';

/**
 * Deletes the oldest sealed segments whose records were all appended before `cutoffMs`, stopping at the
 * first one that is not (so the log stays one unbroken run of seqs), never the active one. Removes them
 * from `segments` and returns how many records went.
 *
 * Example: `const dropped = await dropSegmentsOlderThan(dir, segments, active, Date.now() - 7 * 86_400_000);`
 */
export async function dropSegmentsOlderThan(
  dir: string,
  segments: Segment[],
  active: () => Segment,
  cutoffMs: number,
): Promise<number> {
  let dropped = 0;
  let removed = 0;
  for (;;) {
    const [oldest, next] = segments;
    if (oldest === undefined || next === undefined || oldest === active()) break;
    if (!((await latestAppend(oldest)) < cutoffMs)) break;
    // out of the list first, so a replay that starts now does not look for it
    segments.splice(segments.indexOf(oldest), 1);
    await unlink(oldest.path);
    dropped += next.firstSeq - oldest.firstSeq;
    removed++;
  }
  if (removed > 0) await syncDir(dir);
  return dropped;
}

async function latestAppend(segment: Segment): Promise<number> {
  if (segment.maxAppendedAt !== undefined) return segment.maxAppendedAt;
  const scan = await scanSegment(segment.path, segment.firstSeq);
  if (scan.damage) throw new CorruptLogError(segment.path, scan.damage.offset, describe(scan.damage.reason));
  segment.maxAppendedAt = scan.maxAppendedAt;
  return scan.maxAppendedAt;
}
