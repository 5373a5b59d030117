// One profile's realisation block (`realisation-arena.ts`): entries ascending in time, each
// `varint(traitId * 2 + newTime)` then, when `newTime` is 1, `varint(ms since the previous entry)` (the
// first entry's: since 0). LEB128 varints.

import type { TimeRange } from '../core/time-range.ts';

/** Where `readVarint` reads next (module state: no object per read on the hot paths). */
let cursor = 0;

/** Makes `readVarint` read from byte `at`. Example: `seek(offsetOf(block)); const v = readVarint(chunk);` */
export function seek(at: number): void {
  cursor = at;
}

/** Where `readVarint` reads next. Example: `seek(from); readVarint(chunk); position(); // from + 1`. */
export function position(): number {
  return cursor;
}

/**
 * The LEB128 varint at `cursor` in `bytes`, moving `cursor` past it: 1 or 2 bytes (values below 16,384)
 * in integer arithmetic, more (up to 2^53) in floating point.
 */
export function readVarint(bytes: Uint8Array): number {
  let b = bytes[cursor++] as number;
  if (b < 128) return b;
  let v = b & 127;
  b = bytes[cursor++] as number;
  v |= (b & 127) << 7;
  let scale = 16384;
  while (b >= 128) {
    b = bytes[cursor++] as number;
    v += (b & 127) * scale;
    scale *= 128;
  }
  return v;
}

/** Writes `value` (a non-negative integer below 2^53) as a LEB128 varint at `at`; returns the end. */
export function writeVarint(bytes: Uint8Array, at: number, value: number): number {
  let v = value;
  while (v >= 2 ** 31) {
    bytes[at++] = (v % 128) + 128;
    v = Math.floor(v / 128);
  }
  while (v >= 128) {
    bytes[at++] = (v & 127) | 128;
    v >>>= 7;
  }
  bytes[at++] = v;
  return at;
}

/**
 * Decodes the `n` entries at `at` in `bytes` into `trait` and `ts` from index 0, ascending in time or
 * (`newestFirst`) newest first.
 */
export function decodeEntries(
  bytes: Uint8Array,
  at: number,
  n: number,
  trait: Uint32Array,
  ts: Float64Array,
  newestFirst: boolean,
): void {
  seek(at);
  let time = 0;
  // ascending: index i; newest first: index n - 1 - i
  let j = newestFirst ? n - 1 : 0;
  const step = newestFirst ? -1 : 1;
  for (let i = 0; i < n; i++, j += step) {
    const v = readVarint(bytes);
    const newTime = v < 2 ** 31 ? v & 1 : v % 2;
    trait[j] = v < 2 ** 31 ? v >>> 1 : (v - newTime) / 2;
    if (newTime === 1) time += readVarint(bytes);
    ts[j] = time;
  }
}

/**
 * How many of the `n` entries at `at` are of `traitId` at a time in `range`, counting no further than
 * `enough`: a scan that writes nothing and stops past `range.atOrBefore`.
 */
export function countEntries(
  bytes: Uint8Array,
  at: number,
  n: number,
  traitId: number,
  range: TimeRange,
  enough: number,
): number {
  const { afterExclusive, atOrBefore } = range;
  seek(at);
  let time = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const v = readVarint(bytes);
    const newTime = v < 2 ** 31 ? v & 1 : v % 2;
    if (newTime === 1) {
      time += readVarint(bytes);
      if (time > atOrBefore) break;
    }
    if (time > afterExclusive && (v - newTime) / 2 === traitId && ++c >= enough) break;
  }
  return c;
}

/**
 * Like `countEntries`, but writes each matching time, less `base`, into `out` from `outAt` (the caller
 * makes room for `n`); returns where it stopped writing.
 */
export function timesOfEntries(
  bytes: Uint8Array,
  at: number,
  n: number,
  traitId: number,
  range: TimeRange,
  out: Uint32Array,
  outAt: number,
  base: number,
): number {
  const { afterExclusive, atOrBefore } = range;
  seek(at);
  let time = 0;
  let k = outAt;
  for (let i = 0; i < n; i++) {
    const v = readVarint(bytes);
    const newTime = v < 2 ** 31 ? v & 1 : v % 2;
    if (newTime === 1) {
      time += readVarint(bytes);
      if (time > atOrBefore) break;
    }
    if (time > afterExclusive && (v - newTime) / 2 === traitId) out[k++] = time - base;
  }
  return k;
}

/** Encodes the first `m` realisations of `trait` and `ts` (ascending) into `bytes`; returns the length. */
export function encodeEntries(bytes: Uint8Array, m: number, trait: Uint32Array, ts: Float64Array): number {
  let at = 0;
  let previous = 0;
  for (let i = 0; i < m; i++) {
    const t = ts[i] ?? 0;
    const traitId = trait[i] ?? 0;
    if (i > 0 && t === previous) at = writeVarint(bytes, at, traitId * 2);
    else {
      at = writeVarint(bytes, at, traitId * 2 + 1);
      at = writeVarint(bytes, at, t - previous);
    }
    previous = t;
  }
  return at;
}
