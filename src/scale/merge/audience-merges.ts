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
 * The merge of `GET /v1/segments/:code/trend`. The days before today are the sizes an API server recorded
 * in the shared catalog, each already the whole segment's (`Forwarder.sizesOfAll`), so every partition
 * answers the same ones: they are taken from the first answer. Today's point, the last, is each
 * partition's exact size now: those add up.
 *
 * Example: `mergeTrend(route, [{ points: [{ date: '2026-12-06', size: 9 }, { date: '2026-12-07', size: 2 }] }, { points: [{ date: '2026-12-06', size: 9 }, { date: '2026-12-07', size: 3 }] }])` -> points `[{ date: '2026-12-06', size: 9 }, { date: '2026-12-07', size: 5 }]`.
 */
export function mergeTrend(
  route: string,
  bodies: readonly Record<string, unknown>[],
): Record<string, unknown> {
  const todays = bodies.map((body, k) => {
    const at = where(route, k);
    const points = arrayOf(at, body, 'points');
    const last = objectOf(at, points[points.length - 1], `points[${points.length - 1}]`);
    return { at, points, date: stringOf(at, last, 'date'), size: intOf(at, last, 'size') };
  });
  const first = todays[0];
  if (first === undefined) return {};
  for (const today of todays)
    if (today.date !== first.date) throw notMergeable(today.at, `today is ${today.date}, not ${first.date}`);
  const past = first.points.slice(0, -1).map((raw, i) => {
    const point = objectOf(first.at, raw, `points[${i}]`);
    return { date: stringOf(first.at, point, 'date'), size: intOf(first.at, point, 'size') };
  });
  const size = todays.reduce((sum, today) => sum + today.size, 0);
  return withLatest({ ...bodies[0], points: [...past, { date: first.date, size }] }, bodies, 'asOf');
}
