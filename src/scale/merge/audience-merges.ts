import {
  arrayOf,
  intOf,
  notMergeable,
  objectOf,
  stringOf,
  sumOf,
  where,
  withLatest,
} from './answer-fields.ts';

/**
 * The merge of exact sizes (`GET /v1/segments/:code/size`, `POST /v1/audience/size`): the sizes add up,
 * `exact` holds when every partition's is, `asOf` is the latest; the rest (the rule's text) is the
 * first answer's, the same on every partition.
 *
 * Example: `mergeSizes(route, [{ size: 2, exact: true, asOf }, { size: 3, exact: true, asOf }])` -> `{ size: 5, exact: true, asOf }`.
 */
export function mergeSizes(
  route: string,
  bodies: readonly Record<string, unknown>[],
): Record<string, unknown> {
  const merged = {
    ...bodies[0],
    size: sumOf(route, bodies, 'size'),
    exact: bodies.every((b) => b.exact === true),
  };
  return withLatest(merged, bodies, 'asOf');
}

/**
 * The merge of `POST /v1/audience/overlap`: every partition sizes the same segments in the asked order,
 * so sizes and each pair's count add up cell by cell (a profile lives on one partition: the pairs of
 * different partitions are disjoint).
 *
 * Example: `mergeOverlap(route, [{ segments: ['a','b'], sizes: [2,1], overlap: [[2,1],[1,1]] }, {...}])`.
 */
export function mergeOverlap(
  route: string,
  bodies: readonly Record<string, unknown>[],
): Record<string, unknown> {
  const first = bodies[0] ?? {};
  const segments = arrayOf(where(route, 0), first, 'segments');
  const n = segments.length;
  const sizes = new Array<number>(n).fill(0);
  const overlap = segments.map(() => new Array<number>(n).fill(0));
  bodies.forEach((body, k) => {
    const at = where(route, k);
    const codes = arrayOf(at, body, 'segments');
    if (JSON.stringify(codes) !== JSON.stringify(segments)) {
      throw notMergeable(at, `its segments ${JSON.stringify(codes)} are not ${JSON.stringify(segments)}`);
    }
    const s = arrayOf(at, body, 'sizes');
    const o = arrayOf(at, body, 'overlap');
    for (let i = 0; i < n; i++) {
      sizes[i] = (sizes[i] ?? 0) + intOf(at, { [`sizes[${i}]`]: s[i] }, `sizes[${i}]`);
      const row: unknown = o[i];
      if (!Array.isArray(row)) throw notMergeable(at, `'overlap[${i}]' is not an array`);
      for (let j = 0; j < n; j++) {
        const cell = `overlap[${i}][${j}]`;
        (overlap[i] as number[])[j] =
          (overlap[i]?.[j] ?? 0) + intOf(at, { [cell]: (row as unknown[])[j] }, cell);
      }
    }
  });
  return withLatest({ ...first, sizes, overlap }, bodies, 'asOf');
}

/**
 * The merge of `GET /v1/segments/:code/trend`: the points of each day add up, oldest first. A day is
 * kept only when every partition recorded it: a day some partition lacks (it did not record its sizes
 * then) would be a partial sum, so it is left out, as the service leaves out days without a recorded size.
 *
 * Example: `mergeTrend(route, [{ points: [{ date: '2026-12-06', size: 2 }] }, { points: [{ date: '2026-12-06', size: 3 }] }])` -> points `[{ date: '2026-12-06', size: 5 }]`.
 */
export function mergeTrend(
  route: string,
  bodies: readonly Record<string, unknown>[],
): Record<string, unknown> {
  const sums = new Map<string, { size: number; seen: number }>();
  bodies.forEach((body, k) => {
    const at = where(route, k);
    for (const [i, raw] of arrayOf(at, body, 'points').entries()) {
      const point = objectOf(at, raw, `points[${i}]`);
      const date = stringOf(at, point, 'date');
      const sum = sums.get(date) ?? { size: 0, seen: 0 };
      sum.size += intOf(at, point, 'size');
      sum.seen++;
      sums.set(date, sum);
    }
  });
  const points = [...sums]
    .filter(([, sum]) => sum.seen === bodies.length)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, sum]) => ({ date, size: sum.size }));
  return withLatest({ ...bodies[0], points }, bodies, 'asOf');
}
