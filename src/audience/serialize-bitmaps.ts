import type { Bitmap } from './bitmap.ts';

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
