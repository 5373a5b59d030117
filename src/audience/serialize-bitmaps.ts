import type { SnapshotPart } from '../profiles/profile-store.ts';
import { cursorOf } from '../profiles/snapshot-parts.ts';
import { RoaringBitmap32, type Bitmap } from './bitmap.ts';

/** Bitmaps are serialised into pieces of about this size (a bigger bitmap is a piece of its own). */
const PIECE_BYTES = 8 << 20;

/**
 * Serialises bitmaps (each the last item of its tuple) in Roaring's portable format, one after another:
 * returns an index of Float64s (each tuple's other items, then its byte length) and the bytes as a
 * streamed part's pieces of about 8 MB, made as they are asked for into one reused buffer, so that the
 * index (gigabytes at 10M profiles) is never copied whole. The bitmaps must not change until the pieces
 * have all been read.
 */
export function serializeAll(
  items: readonly (readonly [...number[], Bitmap])[],
): [index: Uint8Array, pieces: () => Iterable<Uint8Array>] {
  const width = items[0]?.length ?? 1;
  const index = new Float64Array(items.length * width);
  items.forEach((item, i) => {
    const bitmap = item[item.length - 1] as Bitmap;
    for (let k = 0; k < width - 1; k++) index[i * width + k] = item[k] as number;
    index[i * width + width - 1] = bitmap.getSerializationSizeInBytes('portable');
  });
  function* pieces(): Iterable<Uint8Array> {
    const buffer = new Uint8Array(PIECE_BYTES);
    let used = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const length = index[i * width + width - 1] ?? 0;
      if (used > 0 && used + length > buffer.length) {
        yield buffer.subarray(0, used);
        used = 0;
      }
      const bitmap = item[item.length - 1] as Bitmap;
      if (length > buffer.length) yield bitmap.serialize('portable');
      else {
        bitmap.serialize('portable', buffer.subarray(used, used + length));
        used += length;
      }
    }
    if (used > 0) yield buffer.subarray(0, used);
  }
  return [new Uint8Array(index.buffer), pieces];
}

/**
 * Reads back what `serializeAll` wrote for tuples of `width` items (the bitmap last): calls `visit` with
 * each tuple's numbers and its bitmap, in order. Throws when the bitmaps are cut short, run on past the
 * index, or (read from a file) fail their checksum.
 */
export function deserializeAll(
  indexBytes: Uint8Array,
  bitmaps: SnapshotPart,
  width: number,
  visit: (keys: Float64Array, bitmap: Bitmap) => void,
): void {
  const index = new Float64Array(indexBytes.buffer, indexBytes.byteOffset, indexBytes.byteLength / 8);
  // a cursor: from a file, the bytes pass through one reused window, never held whole
  const cursor = cursorOf(bitmaps);
  try {
    for (let i = 0; i + width - 1 < index.length; i += width) {
      const bitmap = RoaringBitmap32.deserialize(cursor.take(index[i + width - 1] ?? 0), 'portable');
      visit(index.subarray(i, i + width - 1), bitmap);
    }
    cursor.finish();
  } finally {
    cursor.close();
  }
}
