import { RoaringBitmap32, type Bitmap } from './bitmap.ts';

/**
 * Serialises bitmaps (each the last item of its tuple) in Roaring's portable format into one buffer,
 * sized first so that nothing is copied twice (at 10M profiles the index is gigabytes), and an index of
 * Float64s: each tuple's other items, then its byte length.
 */
export function serializeAll(items: readonly (readonly [...number[], Bitmap])[]): [Uint8Array, Uint8Array] {
  const width = items[0]?.length ?? 1;
  const index = new Float64Array(items.length * width);
  let total = 0;
  items.forEach((item, i) => {
    const bitmap = item[item.length - 1] as Bitmap;
    for (let k = 0; k < width - 1; k++) index[i * width + k] = item[k] as number;
    const length = bitmap.getSerializationSizeInBytes('portable');
    index[i * width + width - 1] = length;
    total += length;
  });
  const bytes = new Uint8Array(total);
  let offset = 0;
  items.forEach((item, i) => {
    const length = index[i * width + width - 1] ?? 0;
    (item[item.length - 1] as Bitmap).serialize('portable', bytes.subarray(offset, offset + length));
    offset += length;
  });
  return [new Uint8Array(index.buffer), bytes];
}

/**
 * Reads back what `serializeAll` wrote for tuples of `width` items (the bitmap last): calls `visit` with
 * each tuple's numbers and its bitmap, in order. Throws when the bitmaps are cut short.
 */
export function deserializeAll(
  indexBytes: Uint8Array,
  bitmaps: Uint8Array,
  width: number,
  visit: (keys: Float64Array, bitmap: Bitmap) => void,
): void {
  const index = new Float64Array(indexBytes.buffer, indexBytes.byteOffset, indexBytes.byteLength / 8);
  let offset = 0;
  for (let i = 0; i + width - 1 < index.length; i += width) {
    const length = index[i + width - 1] ?? 0;
    if (offset + length > bitmaps.byteLength) throw new Error('the audience snapshot is cut short');
    const bitmap = RoaringBitmap32.deserialize(bitmaps.subarray(offset, offset + length), 'portable');
    visit(index.subarray(i, i + width - 1), bitmap);
    offset += length;
  }
}
