/**
 * Scales and ticks for the console's SVG charts: pure functions of numbers, tested alone.
 */

/**
 * A linear map from `[d0, d1]` onto `[r0, r1]`; a domain of one value maps to the middle of the range.
 * Example: `linearScale([0, 10], [100, 0])(5)` -> `50` (an SVG y axis grows downwards).
 */
export function linearScale(
  [d0, d1]: readonly [number, number],
  [r0, r1]: readonly [number, number],
): (value: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
}

/**
 * Round tick values from 0 up to at least `max`, about `count` of them, steps of 1, 2 or 5 times a power
 * of ten (whole numbers: the charts count profiles).
 * Example: `niceTicks(37, 4)` -> `[0, 10, 20, 30, 40]`; `niceTicks(0, 4)` -> `[0, 1]`.
 */
export function niceTicks(max: number, count: number): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power);
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return ticks;
}

/**
 * At most `count` indexes of `length` items to label on an axis, always the first and the last, evenly
 * spread between.
 * Example: `labelIndexes(30, 4)` -> `[0, 10, 19, 29]`; `labelIndexes(2, 4)` -> `[0, 1]`.
 */
export function labelIndexes(length: number, count: number): number[] {
  if (length <= 0) return [];
  if (length <= count) return Array.from({ length }, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < count; k++) out.add(Math.round((k * (length - 1)) / (count - 1)));
  return [...out];
}
