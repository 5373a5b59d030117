import { open } from 'node:fs/promises';
import { HEADER_BYTES, MAX_RECORD_BYTES, crcMatches, readSeq } from './record-format.ts';

/**
 * Called for each good record. `buf` is only valid during the call: the bytes of the JSON body are
 * `buf[jsonStart, jsonEnd)`.
 */
export type ScannedRecord = (
  seq: number,
  appendedAt: number,
  buf: Buffer,
  jsonStart: number,
  jsonEnd: number,
) => void;

/** Why a scan stopped before the end: `torn` (cut short), `length`/`crc` (damaged), `seq` (out of order). */
export type ScanDamage = 'torn' | 'length' | 'crc' | 'seq';

/** What a scan found: the good prefix of the file, and where and why it stopped if it did not reach the end. */
export interface ScanResult {
  /** length of the good prefix */
  goodBytes: number;
  records: number;
  /** seq of the last good record (`firstSeq - 1` when there is none) */
  lastSeq: number;
  /** latest appendedAt among the good records, -Infinity when there is none */
  maxAppendedAt: number;
  damage?: { reason: ScanDamage; offset: number };
}

export interface ScanOptions {
  /** read no further than this many bytes (default: the file's size) */
  limitBytes?: number;
  onRecord?: ScannedRecord;
  chunkBytes?: number;
}

const DEFAULT_CHUNK = 4 * 1024 * 1024;

/**
 * Reads the segment at `path` in large chunks and checks every record (length, crc32, consecutive seqs
 * from `firstSeq`). It never throws for damage: it reports the good prefix and where the damage starts.
 *
 * Example:
 * ```ts
 * const scan = await scanSegment(path, 1, { onRecord: (seq, at, buf, s, e) => seen.push(seq) });
 * if (scan.damage) await truncate(path, scan.goodBytes);
 * ```
 */
export async function scanSegment(
  path: string,
  firstSeq: number,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const handle = await open(path, 'r');
  try {
    const limit = options.limitBytes ?? (await handle.stat()).size;
    const onRecord = options.onRecord;
    let buf = Buffer.allocUnsafe(
      Math.max(HEADER_BYTES, Math.min(options.chunkBytes ?? DEFAULT_CHUNK, limit)),
    );
    let bufAt = 0; // file offset of buf[0]
    let filled = 0;
    let pos = 0;
    let readTo = 0;
    let seq = firstSeq - 1;
    let records = 0;
    let maxAt = -Infinity;
    const result = (damage?: ScanResult['damage']): ScanResult => ({
      goodBytes: bufAt + pos,
      records,
      lastSeq: seq,
      maxAppendedAt: maxAt,
      ...(damage === undefined ? {} : { damage }),
    });
    for (;;) {
      let need = HEADER_BYTES;
      while (filled - pos >= HEADER_BYTES) {
        const len = buf.readUInt32LE(pos);
        if (len === 0 || len > MAX_RECORD_BYTES) return result({ reason: 'length', offset: bufAt + pos });
        need = HEADER_BYTES + len;
        if (filled - pos < need) break;
        if (!crcMatches(buf, pos, len)) return result({ reason: 'crc', offset: bufAt + pos });
        const recordSeq = readSeq(buf, pos);
        if (recordSeq !== seq + 1) return result({ reason: 'seq', offset: bufAt + pos });
        const appendedAt = buf.readDoubleLE(pos + 16);
        if (appendedAt > maxAt) maxAt = appendedAt;
        onRecord?.(recordSeq, appendedAt, buf, pos + HEADER_BYTES, pos + need);
        seq = recordSeq;
        records++;
        pos += need;
        need = HEADER_BYTES;
      }
      if (bufAt + pos === limit) return result();
      if (bufAt + pos + need > limit) return result({ reason: 'torn', offset: bufAt + pos });
      // keep the unread tail, then read the next chunk after it
      if (need > buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
        buf.copy(bigger, 0, pos, filled);
        buf = bigger;
      } else if (pos > 0) {
        buf.copy(buf, 0, pos, filled);
      }
      bufAt += pos;
      filled -= pos;
      pos = 0;
      const { bytesRead } = await handle.read(
        buf,
        filled,
        Math.min(buf.length - filled, limit - readTo),
        readTo,
      );
      if (bytesRead === 0) return result({ reason: 'torn', offset: bufAt + pos });
      filled += bytesRead;
      readTo += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
