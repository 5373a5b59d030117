/**
 * The bytes of an ID as the ID index keeps them: its interned type id (LEB128, one byte below 128)
 * followed by its value in WTF-8 (UTF-8, except that a lone surrogate is encoded as itself, so that
 * every JS string has its own bytes and decodes back to itself).
 */

import { nextCapacity } from './typed-arrays.ts';

/**
 * Writes the key of an ID into a reused scratch buffer, so a lookup allocates nothing for an ASCII
 * value (the common case) and only the buffer's growth otherwise.
 *
 * Example:
 * ```ts
 * const keys = new IdKeyEncoder();
 * const length = keys.encode(0, 'c-1'); // 4: keys.bytes holds 00 63 2d 31
 * ```
 */
export class IdKeyEncoder {
  bytes = new Uint8Array(64);

  /** Writes the key of (`typeId`, `value`) at the start of `bytes`; returns its length. */
  encode(typeId: number, value: string): number {
    const n = value.length;
    if (this.bytes.length < 5 + 3 * n)
      this.bytes = new Uint8Array(nextCapacity(this.bytes.length, 5 + 3 * n));
    const bytes = this.bytes;
    const start = writeTypeId(bytes, 0, typeId);
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) return writeWtf8(bytes, start + i, value, i);
      bytes[start + i] = c;
    }
    return start + n;
  }
}

/** Writes `value` from UTF-16 unit `from` on at `at` in WTF-8; returns the end. */
function writeWtf8(bytes: Uint8Array, at: number, value: string, from: number): number {
  for (let i = from; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) bytes[at++] = c;
    else if (c < 0x800) {
      bytes[at++] = 0xc0 | (c >> 6);
      bytes[at++] = 0x80 | (c & 0x3f);
    } else {
      const d = c >= 0xd800 && c <= 0xdbff ? value.charCodeAt(i + 1) : NaN;
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        bytes[at++] = 0xf0 | (cp >> 18);
        bytes[at++] = 0x80 | ((cp >> 12) & 0x3f);
        bytes[at++] = 0x80 | ((cp >> 6) & 0x3f);
        bytes[at++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        bytes[at++] = 0xe0 | (c >> 12);
        bytes[at++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[at++] = 0x80 | (c & 0x3f);
      }
    }
  }
  return at;
}

/**
 * Writes type id `t` at `at` (7 bits a byte, low bits first, high bit set on all but the last byte);
 * returns the end. Example: `writeTypeId(bytes, 0, 3) === 1`.
 */
export function writeTypeId(bytes: Uint8Array, at: number, t: number): number {
  while (t >= 0x80) {
    bytes[at++] = 0x80 | (t & 0x7f);
    t >>>= 7;
  }
  bytes[at++] = t;
  return at;
}

/**
 * The type id written at `at` and the number of bytes it takes, as `t * 8 + bytes` (no allocation).
 * Example: `readTypeId(bytes, 0) >> 3` is the type id, `& 7` its length.
 */
export function readTypeId(bytes: Uint8Array, at: number): number {
  let t = 0;
  for (let shift = 0, i = at; ; shift += 7, i++) {
    const b = bytes[i] ?? 0;
    t += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return t * 8 + (i - at + 1);
  }
}

/**
 * A 32-bit hash of `bytes[start..end)`: FNV-1a from `seed`, then MurmurHash3's finaliser so that low
 * bits (the table's home slot) depend on every byte. Example: `hashBytes(keys.bytes, 0, length, seed)`.
 */
export function hashBytes(bytes: Uint8Array, start: number, end: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** decodes ASCII natively; other bytes are decoded by hand, as UTF-8 decoders replace lone surrogates */
const ascii = new TextDecoder();

/**
 * The string whose WTF-8 bytes are `bytes[start..end)`.
 * Example: `decodeWtf8(Uint8Array.of(0x63, 0x2d, 0x31), 0, 3) === 'c-1'`.
 */
export function decodeWtf8(bytes: Uint8Array, start: number, end: number): string {
  let i = start;
  while (i < end && (bytes[i] ?? 0) < 0x80) i++;
  if (i === end) return ascii.decode(bytes.subarray(start, end));
  const units: number[] = [];
  const next = (): number => (bytes[i++] ?? 0) & 0x3f;
  for (i = start; i < end;) {
    const b = bytes[i++] ?? 0;
    if (b < 0x80) units.push(b);
    else if (b < 0xe0) units.push(((b & 0x1f) << 6) | next());
    else if (b < 0xf0) units.push(((b & 0x0f) << 12) | (next() << 6) | next());
    else {
      const cp = (((b & 0x07) << 18) | (next() << 12) | (next() << 6) | next()) - 0x10000;
      units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    }
  }
  let out = '';
  for (let k = 0; k < units.length; k += 4096) out += String.fromCharCode(...units.slice(k, k + 4096));
  return out;
}
