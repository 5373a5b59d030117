import { RoaringBitmap32, type Bitmap } from './bitmap.ts';

/**
 * The profiles `0 .. n - 1` grouped by their key (0: in no group), one bitmap per key: a counting sort
 * into one array, then one native call per key (no JS array per key). Keys must be whole numbers below
 * about a million (interned string ids, buckets).
 *
 * Example: `bitmapsByKey(Uint32Array.of(0, 5, 2, 5), 4)` -> `Map { 5 => {1, 3}, 2 => {2} }`.
 */
export function bitmapsByKey(keys: ArrayLike<number>, n: number): Map<number, Bitmap> {
  let top = 0;
  for (let p = 0; p < n; p++) if ((keys[p] as number) > top) top = keys[p] as number;
  const starts = new Uint32Array(top + 2);
  for (let p = 0; p < n; p++) {
    const key = keys[p] as number;
    if (key !== 0) starts[key + 1] = (starts[key + 1] as number) + 1;
  }
  for (let key = 1; key <= top + 1; key++)
    starts[key] = (starts[key] as number) + (starts[key - 1] as number);
  const sorted = new Uint32Array(starts[top + 1] as number);
  const next = starts.slice(0, top + 1);
  for (let p = 0; p < n; p++) {
    const key = keys[p] as number;
    if (key !== 0) sorted[next[key]!++] = p;
  }
  const bitmaps = new Map<number, Bitmap>();
  for (let key = 1; key <= top; key++) {
    const from = starts[key] as number;
    const to = starts[key + 1] as number;
    if (to > from) bitmaps.set(key, new RoaringBitmap32(sorted.subarray(from, to)));
  }
  return bitmaps;
}

/**
 * Moves `p` out of the bitmap of the key `held` holds for it and into that of `key` (0: none), and holds
 * `key`: the maintenance of bitmaps made by `bitmapsByKey`.
 * Example: `moveKeyed(byCity, heldCity, p, londonId)`.
 */
export function moveKeyed(
  bitmaps: Map<number, Bitmap>,
  held: Uint16Array | Uint32Array,
  p: number,
  key: number,
): void {
  const old = held[p] ?? 0;
  if (old === key) return;
  if (old !== 0) bitmaps.get(old)?.delete(p);
  if (key !== 0) {
    let bitmap = bitmaps.get(key);
    if (bitmap === undefined) bitmaps.set(key, (bitmap = new RoaringBitmap32()));
    bitmap.add(p);
  }
  held[p] = key;
}
