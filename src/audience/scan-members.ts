import { bitmapOfSorted, type Bitmap, type ReadonlyBitmap } from './bitmap.ts';

/**
 * The profiles of `universe` for which `keep` is true, scanning in ascending order.
 * Example: `scanMembers(live, (p) => (visits[p] ?? 0) >= 2)`.
 */
export function scanMembers(universe: ReadonlyBitmap, keep: (p: number) => boolean): Bitmap {
  const candidates = universe.toUint32Array();
  let n = 0;
  for (let i = 0; i < candidates.length; i++) {
    const p = candidates[i] as number;
    if (keep(p)) candidates[n++] = p;
  }
  return bitmapOfSorted(candidates, n);
}
