import roaring from 'roaring';
import type { ReadonlyRoaringBitmap32, RoaringBitmap32 as RoaringBitmap32Type } from 'roaring';

/**
 * The native CRoaring bitmap class (the `roaring` package is CommonJS: its class is reached through the
 * default export under ESM).
 *
 * Example: `new RoaringBitmap32([1, 5]).has(5)` -> `true`.
 */
export const RoaringBitmap32 = roaring.RoaringBitmap32;

/** A set of profile indexes. Example: `const members: Bitmap = new RoaringBitmap32()`. */
export type Bitmap = RoaringBitmap32Type;

/** A set of profile indexes that the receiver must not change. Example: `(b: ReadonlyBitmap) => b.size`. */
export type ReadonlyBitmap = ReadonlyRoaringBitmap32;

/**
 * A bitmap of the first `n` values of a sorted `Uint32Array` (ascending, no duplicates).
 * Example: `bitmapOfSorted(new Uint32Array([1, 4, 9]), 2)` -> `{1, 4}`.
 */
export function bitmapOfSorted(values: Uint32Array, n: number): Bitmap {
  return new RoaringBitmap32(n === values.length ? values : values.subarray(0, n));
}

/** The union of bitmaps (empty for none). Example: `unionOf([a, b]).size`. */
export function unionOf(bitmaps: readonly ReadonlyBitmap[]): Bitmap {
  if (bitmaps.length === 0) return new RoaringBitmap32();
  if (bitmaps.length === 1) return (bitmaps[0] as ReadonlyBitmap).clone();
  return RoaringBitmap32.orMany(bitmaps);
}

/**
 * Adds `temporary` (a bitmap the caller owns and is done with) to `target` and disposes it: its native
 * memory is freed now rather than when the collector finds it (ADR 0019). Returns `target`.
 * Example: `orAndDispose(members, RoaringBitmap32.and(day, universe))`.
 */
export function orAndDispose(target: Bitmap, temporary: Bitmap): Bitmap {
  target.orInPlace(temporary);
  temporary.dispose();
  return target;
}

/**
 * The members of `temporary` (a bitmap the caller owns and is done with) ascending, and it disposed.
 * Example: `toArrayAndDispose(RoaringBitmap32.and(day, universe))`.
 */
export function toArrayAndDispose(temporary: Bitmap): Uint32Array {
  const members = temporary.toUint32Array();
  temporary.dispose();
  return members;
}
