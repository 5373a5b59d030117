import type { OverlapMatrix } from './audience-index.ts';
import type { ReadonlyBitmap } from './bitmap.ts';

/**
 * The sizes of member sets and the size of each pair's intersection, each pair counted once.
 * Example: `overlapOf([a, b])` -> `{ sizes: [a.size, b.size], overlap: [[a.size, n], [n, b.size]] }`.
 */
export function overlapOf(members: readonly ReadonlyBitmap[]): OverlapMatrix {
  const sizes = members.map((m) => m.size);
  const overlap = members.map((a, i) =>
    members.map((b, j) => (i === j ? a.size : j < i ? 0 : a.andCardinality(b))),
  );
  for (let i = 0; i < overlap.length; i++)
    for (let j = 0; j < i; j++) (overlap[i] as number[])[j] = overlap[j]?.[i] ?? 0;
  return { sizes, overlap };
}
