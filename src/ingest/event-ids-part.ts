/** the format's version, the part's first 4 bytes */
const VERSION = 1;
/**
 * IDs are kept as UTF-16 code units (`utf16le`), which gives back any JS string as it was, a lone surrogate
 * included (UTF-8 would replace it, and the retry would no longer match): 128 units, 256 bytes at most
 */
const MAX_ID_BYTES = 256;
/** per ID: arrival time (f64), byte length (u16), then the UTF-16 bytes */
const ENTRY_HEAD = 10;
const PIECE_BYTES = 1 << 20;

/**
 * Encodes accepted event IDs (ID, arrival time in epoch ms), in order, as the pieces of a snapshot part:
 * a u32 version, then per ID its time (f64), its byte length (u16) and UTF-16 code units, all little-endian. Pieces
 * are about 1 MiB, so that millions of IDs are never one buffer.
 *
 * Example: `Buffer.concat([...writeEventIds([['order-1', 1795168800000]])])` is 4 + 10 + 14 bytes long.
 */
export function* writeEventIds(entries: Iterable<[string, number]>): Iterable<Uint8Array> {
  let piece = Buffer.allocUnsafe(PIECE_BYTES);
  piece.writeUInt32LE(VERSION, 0);
  let at = 4;
  for (const [id, arrived] of entries) {
    if (at + ENTRY_HEAD + MAX_ID_BYTES > PIECE_BYTES) {
      yield piece.subarray(0, at);
      piece = Buffer.allocUnsafe(PIECE_BYTES);
      at = 0;
    }
    const length = piece.write(id, at + ENTRY_HEAD, 'utf16le');
    piece.writeDoubleLE(arrived, at);
    piece.writeUInt16LE(length, at + 8);
    at += ENTRY_HEAD + length;
  }
  yield piece.subarray(0, at);
}

/**
 * Decodes what `writeEventIds` wrote into `into` (in order). Throws on a version it does not know or
 * bytes that do not parse, so that the snapshot is passed over and the log replayed instead.
 *
 * Example: `readEventIds(bytes, new Map())` fills the map with `'order-1' -> 1795168800000`.
 */
export function readEventIds(bytes: Uint8Array, into: Map<string, number | object>): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 4 || buf.readUInt32LE(0) !== VERSION)
    throw new Error(`the event-ids part is not of version ${VERSION}`);
  let at = 4;
  while (at < buf.length) {
    if (at + ENTRY_HEAD > buf.length) throw new Error(`the event-ids part is cut short at byte ${at}`);
    const arrived = buf.readDoubleLE(at);
    const length = buf.readUInt16LE(at + 8);
    const end = at + ENTRY_HEAD + length;
    if (
      length === 0 ||
      length % 2 !== 0 ||
      length > MAX_ID_BYTES ||
      end > buf.length ||
      !Number.isFinite(arrived)
    )
      throw new Error(`the event-ids part holds a damaged entry at byte ${at}`);
    into.set(buf.toString('utf16le', at + ENTRY_HEAD, end), arrived);
    at = end;
  }
}
