import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ActiveSegment } from './group-commit-writer.ts';
import { CorruptLogError } from './log-errors.ts';
import { listSegments, removeTempFiles, segmentName, syncDir } from './segment-files.ts';
import type { Segment } from './segment-files.ts';
import { scanSegment } from './segment-scanner.ts';
import type { ScanDamage } from './segment-scanner.ts';

/** A torn or damaged tail cut off the last segment when the log was opened. */
export interface RepairedTail {
  file: string;
  offset: number;
  reason: ScanDamage;
  bytesDropped: number;
}

/** The state of a log directory after recovery: ready to append to `active`. */
export interface RecoveredLog {
  segments: Segment[];
  active: ActiveSegment;
  lastSeq: number;
  repairedTail: RepairedTail | undefined;
}

/**
 * Opens the log in `dir` (creating it if needed): scans the last segment, cuts off a torn or damaged
 * tail (what a crash mid-write leaves) and finds the last good seq. Older segments are not read here.
 * A well-formed record with the wrong seq cannot come from a crash, so it throws `CorruptLogError`.
 * Temporary files of a rewrite (`erase`) cut short by a crash are deleted: their segment is still whole.
 *
 * Example: `const { segments, active, lastSeq } = await recoverLog('data/log');`
 */
export async function recoverLog(dir: string): Promise<RecoveredLog> {
  const created = await mkdir(dir, { recursive: true });
  if (created !== undefined) await syncDir(dirname(created));
  await removeTempFiles(dir);
  const segments = await listSegments(dir);
  const last = segments.at(-1);
  if (last === undefined) {
    const first: Segment = { firstSeq: 1, path: join(dir, segmentName(1)), maxAppendedAt: -Infinity };
    const handle = await open(first.path, 'w+');
    await syncDir(dir);
    return {
      segments: [first],
      active: { segment: first, handle, size: 0 },
      lastSeq: 0,
      repairedTail: undefined,
    };
  }
  const scan = await scanSegment(last.path, last.firstSeq);
  const damage = scan.damage;
  if (damage?.reason === 'seq') throw new CorruptLogError(last.path, damage.offset, 'record out of sequence');
  const handle = await open(last.path, 'r+');
  let repairedTail: RepairedTail | undefined;
  if (damage !== undefined) {
    const size = (await handle.stat()).size;
    try {
      await handle.truncate(scan.goodBytes);
      await handle.datasync();
    } catch (err) {
      await handle.close();
      throw err;
    }
    repairedTail = {
      file: last.path,
      offset: damage.offset,
      reason: damage.reason,
      bytesDropped: size - scan.goodBytes,
    };
  }
  last.maxAppendedAt = scan.maxAppendedAt;
  return {
    segments,
    active: { segment: last, handle, size: scan.goodBytes },
    lastSeq: scan.lastSeq,
    repairedTail,
  };
}
