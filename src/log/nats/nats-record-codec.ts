/**
 * A log record as a JetStream message body: the file log's record frame (`record-format.ts`: u32 length,
 * u32 crc32, u64 seq, f64 appendedAt, JSON) with the seq field 0, since the message's stream sequence is
 * its seq and is only known once JetStream acknowledged it. The crc32 still covers appendedAt and JSON.
 */
import type { LogRecord } from '../event-log.ts';
import { CorruptLogError } from '../log-errors.ts';
import { HEADER_BYTES, crcMatches, readSeq, writeRecord } from '../record-format.ts';

/** A decoded message body: the record and the time it was appended (epoch ms, the log's clock). */
export interface StoredRecord {
  record: LogRecord;
  appendedAt: number;
}

/**
 * Encodes `record` as it is now (later changes by the caller do not reach the bytes).
 *
 * Example: `js.publish('dmp.log.3', encodeRecord(record, Date.now()))`
 */
export function encodeRecord(record: LogRecord, appendedAt: number): Buffer {
  const json = JSON.stringify(record);
  const bytes = Buffer.byteLength(json);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + bytes);
  writeRecord(buf, 0, 0, appendedAt, json, bytes);
  return buf;
}

/**
 * Decodes a message body written by `encodeRecord`; `where` names it in the `CorruptLogError` thrown for
 * a body that is not one (wrong length, crc, or seq field).
 *
 * Example: `const { record, appendedAt } = decodeRecord(msg.data, `stream DMP_LOG seq ${msg.seq}`);`
 */
export function decodeRecord(data: Uint8Array, where: string): StoredRecord {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const damaged = (reason: string) => new CorruptLogError(where, 0, reason);
  if (buf.length < HEADER_BYTES) throw damaged(`${buf.length} bytes, shorter than a record header`);
  const jsonBytes = buf.readUInt32LE(0);
  if (jsonBytes !== buf.length - HEADER_BYTES)
    throw damaged(`length ${jsonBytes} does not match the body's ${buf.length - HEADER_BYTES} bytes`);
  if (!crcMatches(buf, 0, jsonBytes)) throw damaged('crc32 mismatch');
  if (readSeq(buf, 0) !== 0) throw damaged('seq field is not 0');
  const record = JSON.parse(buf.toString('utf8', HEADER_BYTES)) as LogRecord;
  return { record, appendedAt: buf.readDoubleLE(16) };
}
