import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LogRecord } from './event-log.ts';
import { CorruptLogError } from './log-errors.ts';
import { describe } from './log-replay.ts';
import { HEADER_BYTES, writeRecord } from './record-format.ts';
import { syncDir, tempPathOf } from './segment-files.ts';
import type { Segment } from './segment-files.ts';
import { scanSegment } from './segment-scanner.ts';

/**
 * Rewrites the sealed `segment` with a tombstone (`{ kind: 'erased', tenant }`, same seq and appendedAt)
 * in place of each record `drop` returns true for (or the record it returns), and returns how many it replaced; with none, the file is not
 * touched. Crash-safe: the new content goes to `<segment>.tmp`, is fsynced, renamed over the segment,
 * and the directory is fsynced, so a crash leaves the old segment or the new one, and at worst a temp
 * file that the next open deletes. A damaged segment is not rewritten (`CorruptLogError`): that would
 * silently cut its damaged part away. `nextFirstSeq` (of the following segment) checks it is whole.
 *
 * Example: `const erased = await rewriteSegment(segment, 40213, (seq, record) => record.kind === 'delete');`
 */
export async function rewriteSegment(
  segment: Segment,
  nextFirstSeq: number | undefined,
  drop: (seq: number, record: LogRecord) => boolean | LogRecord,
): Promise<number> {
  let out = Buffer.alloc(0);
  let size = 0;
  let erased = 0;
  const put = (bytes: number): number => {
    if (size + bytes > out.length) {
      const bigger = Buffer.allocUnsafe(Math.max(size + bytes, out.length * 2, 64 * 1024));
      out.copy(bigger, 0, 0, size);
      out = bigger;
    }
    const at = size;
    size += bytes;
    return at;
  };
  const scan = await scanSegment(segment.path, segment.firstSeq, {
    onRecord: (seq, appendedAt, buf, start, end) => {
      const record = JSON.parse(buf.toString('utf8', start, end)) as LogRecord;
      const verdict = drop(seq, record);
      if (verdict === false) {
        const at = put(end - start + HEADER_BYTES); // may replace `out`: call before using it
        buf.copy(out, at, start - HEADER_BYTES, end);
        return;
      }
      const replacement: LogRecord = verdict === true ? { kind: 'erased', tenant: record.tenant } : verdict;
      const json = JSON.stringify(replacement);
      const jsonBytes = Buffer.byteLength(json);
      const at = put(HEADER_BYTES + jsonBytes);
      writeRecord(out, at, seq, appendedAt, json, jsonBytes);
      erased++;
    },
  });
  if (scan.damage) throw new CorruptLogError(segment.path, scan.damage.offset, describe(scan.damage.reason));
  if (nextFirstSeq !== undefined && scan.lastSeq !== nextFirstSeq - 1) {
    const why = `segment ends at seq ${scan.lastSeq} but the next one starts at ${nextFirstSeq}`;
    throw new CorruptLogError(segment.path, scan.goodBytes, why);
  }
  if (erased === 0) return 0;
  await replaceFile(segment.path, out.subarray(0, size));
  return erased;
}

/** Writes `content` to a temp file, fsyncs it, renames it over `path` and fsyncs the directory. */
async function replaceFile(path: string, content: Buffer): Promise<void> {
  const temp = tempPathOf(path);
  const handle = await open(temp, 'w');
  try {
    let done = 0;
    while (done < content.length) {
      const { bytesWritten } = await handle.write(content, done, content.length - done, done);
      done += bytesWritten;
    }
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  await rename(temp, path);
  await syncDir(dirname(path));
}
