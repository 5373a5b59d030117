/** Growable typed-array columns: each grows by doubling, so appends are amortised O(1). */

/** A typed array whose capacity can be doubled by copying into a larger one of the same kind. */
export type Column = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

/**
 * The capacity to grow to so that `needed` slots fit: doubling from `current` (at least 16).
 *
 * Example: `nextCapacity(16, 17) === 32`.
 */
export function nextCapacity(current: number, needed: number): number {
  let capacity = Math.max(16, current);
  while (capacity < needed) capacity *= 2;
  return capacity;
}

/**
 * A copy of `column` with `capacity` slots; new slots hold `fill`.
 *
 * Example: `grown(new Int32Array(2), 4, -1)` is `Int32Array [0, 0, -1, -1]`.
 */
export function grown<T extends Column>(column: T, capacity: number, fill = 0): T {
  const bigger = new (column.constructor as new (length: number) => T)(capacity);
  bigger.set(column);
  if (fill !== 0) bigger.fill(fill, column.length);
  return bigger;
}
