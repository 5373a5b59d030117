import { crc32 } from 'node:zlib';

/** Bytes before each record's JSON: u32 length, u32 crc32, u64 seq, f64 appendedAt (all little-endian). */
export const HEADER_BYTES = 24;

/** Largest JSON body accepted; a bigger length in a header is taken as damage. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

const TWO_32 = 2 ** 32;

/**
 * Encodes one record at `offset` of `buf` (which must have room for `HEADER_BYTES + jsonBytes`) and
 * returns the offset just after it. The crc32 covers seq, appendedAt and the JSON bytes.
 *
 * Example:
 * ```ts
 * const json = JSON.stringify(record);
 * const buf = Buffer.allocUnsafe(HEADER_BYTES + Buffer.byteLength(json));
 * writeRecord(buf, 0, 1, Date.now(), json, Buffer.byteLength(json));
 * ```
 */
export function writeRecord(
  buf: Buffer,
  offset: number,
  seq: number,
  appendedAt: number,
  json: string,
  jsonBytes: number,
): number {
  const end = offset + HEADER_BYTES + jsonBytes;
  buf.writeUInt32LE(jsonBytes, offset);
  buf.writeUInt32LE(seq % TWO_32, offset + 8);
  buf.writeUInt32LE(Math.floor(seq / TWO_32), offset + 12);
  buf.writeDoubleLE(appendedAt, offset + 16);
  buf.write(json, offset + HEADER_BYTES, jsonBytes, 'utf8');
  buf.writeUInt32LE(crc32(buf.subarray(offset + 8, end)), offset + 4);
  return end;
}

/**
 * Reads the seq of the record whose header starts at `offset`.
 *
 * Example: `readSeq(buf, 0) // 1 for the first record of a new log`
 */
export function readSeq(buf: Buffer, offset: number): number {
  return buf.readUInt32LE(offset + 8) + buf.readUInt32LE(offset + 12) * TWO_32;
}

/**
 * Checks the crc32 of the complete record at `offset` whose JSON is `jsonBytes` long.
 *
 * Example: `if (!crcMatches(buf, 0, len)) return torn(0);`
 */
export function crcMatches(buf: Buffer, offset: number, jsonBytes: number): boolean {
  const stored = buf.readUInt32LE(offset + 4);
  return crc32(buf.subarray(offset + 8, offset + HEADER_BYTES + jsonBytes)) === stored;
}
