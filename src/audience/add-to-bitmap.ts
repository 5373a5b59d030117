import { RoaringBitmap32, type Bitmap } from './bitmap.ts';

/**
 * The largest batch added one profile at a time (`tryAdd`, a native call each, about 25 ns) rather than
 * as a bitmap (`and`, then `orInPlace`: four native calls, about 3 us whatever the size). Measured on
 * this machine, every profile already held: 16 profiles 0.6 against 3.4 us, 64 2.4 against 3.9 us, 256
 * 9.5 against 6.7 us.
 */
const TRY_ADD_BATCH = 96;

/**
 * Adds `unique` (ascending) to `bitmap`, and returns those of them it already held, or undefined when
 * it held none. A batch per (trait, day) of qualification is usually a handful of profiles.
 *
 * Example: `addReturningHeld(bitmapOf(3, 9), Uint32Array.of(2, 3))` -> `[3]` (the bitmap now {2, 3, 9})
 */
export function addReturningHeld(bitmap: Bitmap, unique: Uint32Array): ArrayLike<number> | undefined {
  if (unique.length <= TRY_ADD_BATCH) {
    let held: number[] | undefined;
    for (let i = 0; i < unique.length; i++) {
      const p = unique[i] ?? 0;
      if (!bitmap.tryAdd(p)) (held ??= []).push(p);
    }
    return held;
  }
  // batches are many: their temporaries are left to the collector, not disposed (two native calls
  // more per batch, measured slower in qualification)
  const batch = new RoaringBitmap32(unique);
  const again = RoaringBitmap32.and(bitmap, batch);
  bitmap.orInPlace(batch);
  return again.isEmpty ? undefined : again.toUint32Array();
}

/** Adds the values: a native call each when they are few (a call of `addMany` costs several), else one. */
export function addAll(bitmap: Bitmap, values: Uint32Array): void {
  if (values.length < 4) for (let i = 0; i < values.length; i++) bitmap.add(values[i] ?? 0);
  else bitmap.addMany(values);
}
