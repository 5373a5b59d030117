import type { PartCursor, PartToWrite, SnapshotPart } from './profile-store.ts';
import type { Column } from './typed-arrays.ts';

/** Whether this platform stores typed arrays little-endian (all that Node runs on do). */
export const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * A part over the first `length` elements of `column`, as bytes: a view, not a copy (a snapshot of 10M
 * profiles is gigabytes; a copy would double them), so it is valid only until the column next changes.
 *
 * Example: `columnPart('columns.visits', visits, used)`.
 */
export function columnPart(name: string, column: Column, length: number): SnapshotPart {
  return { name, bytes: new Uint8Array(column.buffer, column.byteOffset, length * column.BYTES_PER_ELEMENT) };
}

/**
 * A part holding `value` as UTF-8 JSON.
 *
 * Example: `jsonPart('strings', ['London', 'Paris'])`.
 */
export function jsonPart(name: string, value: unknown): SnapshotPart {
  return { name, bytes: new TextEncoder().encode(JSON.stringify(value)) };
}

/**
 * The parts with every streamed part's pieces joined into one buffer (copied, as each piece is valid only
 * until the next): for restoring a copy in memory, and for tests.
 *
 * Example: `index.restore(wholeParts(other.snapshotParts()))`.
 */
export function wholeParts(parts: readonly PartToWrite[]): SnapshotPart[] {
  return parts.map((part) => {
    if ('bytes' in part) return part;
    const pieces: Uint8Array[] = [];
    for (const piece of part.pieces()) pieces.push(piece.slice());
    const bytes = new Uint8Array(pieces.reduce((n, piece) => n + piece.byteLength, 0));
    let offset = 0;
    for (const piece of pieces) {
      bytes.set(piece, offset);
      offset += piece.byteLength;
    }
    return { name: part.name, bytes };
  });
}

/**
 * A cursor over the part's bytes (`PartCursor`): read from its file a window at a time when it is read on
 * demand, else over its bytes in memory. Errors name the part.
 *
 * Example: `const c = cursorOf(part); try { c.take(8); c.finish(); } finally { c.close(); }`.
 */
export function cursorOf(part: SnapshotPart): PartCursor {
  if (part.onDemand !== undefined) return part.onDemand.cursor();
  const bytes = part.bytes;
  const fail = (reason: string): Error => new Error(`snapshot part ${part.name} ${reason}`);
  let at = 0;
  return {
    take(length) {
      if (at + length > bytes.byteLength) throw fail('is cut short');
      at += length;
      return bytes.subarray(at - length, at);
    },
    finish() {
      if (at < bytes.byteLength) throw fail(`holds ${bytes.byteLength - at} bytes more than were read`);
    },
    close() {},
  };
}

/** A column is filled from its part this many bytes at a time. */
const COPY_BYTES = 16 << 20;

/** A typed-array constructor, for `SnapshotReader.column`. */
type ColumnKind<T extends Column> = { new (length: number): T; readonly BYTES_PER_ELEMENT: number };

/**
 * Reads the parts of a snapshot by name; throws an `Error` naming the part when one is missing or has
 * the wrong size.
 *
 * Example:
 * ```ts
 * const reader = new SnapshotReader(parts);
 * const meta = reader.json('ids.meta') as { live: number };
 * const head = reader.column('ids.head', Int32Array, 1024, 1024, -1);
 * ```
 */
export class SnapshotReader {
  private readonly byName = new Map<string, SnapshotPart>();

  /** `parts`' bytes are asked for only when a part is read (they may be read from a file on demand). */
  constructor(parts: readonly SnapshotPart[]) {
    for (const part of parts) this.byName.set(part.name, part);
  }

  /** The part parsed as JSON. */
  json(name: string): unknown {
    return JSON.parse(new TextDecoder().decode(this.bytes(name))) as unknown;
  }

  /**
   * A new column of `capacity` slots holding the part's `length` elements (one copy of the bytes,
   * whatever their alignment), the rest `fill`.
   */
  column<T extends Column>(name: string, kind: ColumnKind<T>, length: number, capacity: number, fill = 0): T {
    const part = this.part(name);
    const byteLength = part.onDemand?.byteLength ?? part.bytes.byteLength;
    if (byteLength !== length * kind.BYTES_PER_ELEMENT || capacity < length)
      throw new Error(`snapshot part ${name}: ${byteLength} bytes, expected ${length} elements`);
    const column = new kind(capacity);
    const target = new Uint8Array(column.buffer, 0, byteLength);
    const cursor = cursorOf(part);
    try {
      for (let at = 0; at < byteLength; at += COPY_BYTES)
        target.set(cursor.take(Math.min(COPY_BYTES, byteLength - at)), at);
      cursor.finish();
    } finally {
      cursor.close();
    }
    if (fill !== 0) column.fill(fill, length);
    return column;
  }

  /** How many elements of `bytesPerElement` bytes the part holds; throws when it is not a whole number. */
  length(name: string, bytesPerElement: number): number {
    const part = this.part(name);
    const n = part.onDemand?.byteLength ?? part.bytes.byteLength;
    if (n % bytesPerElement !== 0) throw new Error(`snapshot part ${name}: ${n} bytes is not whole elements`);
    return n / bytesPerElement;
  }

  private bytes(name: string): Uint8Array {
    return this.part(name).bytes;
  }

  private part(name: string): SnapshotPart {
    const part = this.byName.get(name);
    if (part === undefined) throw new Error(`snapshot part ${name} is missing`);
    return part;
  }
}

/**
 * The value if it is a safe integer of at least `min`, else throws naming `what` (for numbers read
 * from JSON).
 *
 * Example: `integer(meta.freeSlot, 'realisations.meta freeSlot', -1)`.
 */
export function integer(value: unknown, what: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new Error(`snapshot ${what}: not an integer of at least ${min}`);
  return value;
}
