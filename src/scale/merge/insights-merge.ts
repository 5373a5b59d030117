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
 * What the insights merge needs besides the answers: the client's own query, and trait ids for ties.
 * Example: `{ minCount: 5, limit: 20, traitIds: new Map([['pricing', 1], ['blog', 2]]) }`.
 */
export interface InsightsRequest {
  /** the client's `minCount` (default 20, as the route's) */
  minCount?: number;
  /** the client's `limit` (default 50, as the route's) */
  limit?: number;
  /** trait code -> trait id, from the catalog: the service breaks ties of index and count by trait id */
  traitIds?: ReadonlyMap<string, number>;
}

/**
 * The query to send every partition for insights: every trait any live profile of the partition holds
 * (`minCount=0`, count 0 too) and no cut (`limit`), so that the counts and holders add up to the whole
 * population's. Example: `partitionInsightsQuery({ minCount: '5' })` -> `{ minCount: '0', limit: '9007199254740991' }`.
 */
export function partitionInsightsQuery(query: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return { ...out, minCount: '0', limit: String(Number.MAX_SAFE_INTEGER) };
}

interface Summed {
  count: number;
  holders: number;
}

/**
 * The merge of `GET /v1/segments/:code/insights`. Each partition answers with its segment size, its live
 * population and, per trait, the segment's holders (`count`) and the population's (`holders`); these add
 * up. The figures are then recomputed from the sums exactly as `traitInsights` (src/audience/trait-insights.ts)
 * computes them: `share = count / size`, `populationShare = holders / population`,
 * `index = (share / populationShare) * 100`; rows under the client's `minCount` (or with no holder) left
 * out; highest index first, ties by count then trait id; the first `limit` kept. Shares are never averaged.
 *
 * A partition answer without `population` and per-trait `holders` cannot be merged exactly (a share of an
 * unknown population), and is refused with a 502 rather than estimated; one answer alone is its own merge.
 *
 * Example: `mergeInsights(route, [a, b], { minCount: 3, limit: 10 })` -> `{ size: a.size + b.size, population: ..., traits: [...] }`.
 */
export function mergeInsights(
  route: string,
  bodies: readonly Record<string, unknown>[],
  request: InsightsRequest = {},
): Record<string, unknown> {
  const missing = bodies.findIndex((b) => b.population === undefined);
  if (missing >= 0) {
    if (bodies.length === 1) return bodies[0] ?? {};
    throw notMergeable(
      where(route, missing),
      "it has no 'population' (live profiles) and per-trait 'holders': shares of the whole population cannot be recomputed without them (ask partitions with partitionInsightsQuery, on a release whose insights give them)",
    );
  }
  const size = sumOf(route, bodies, 'size');
  const population = sumOf(route, bodies, 'population');
  const sums = new Map<string, Summed>();
  bodies.forEach((body, k) => {
    const at = where(route, k);
    for (const [i, raw] of arrayOf(at, body, 'traits').entries()) {
      const row = objectOf(at, raw, `traits[${i}]`);
      const trait = stringOf(at, row, 'trait');
      const sum = sums.get(trait) ?? { count: 0, holders: 0 };
      sum.count += intOf(at, row, 'count');
      sum.holders += intOf(at, row, 'holders');
      sums.set(trait, sum);
    }
  });
  const minCount = request.minCount ?? 20;
  const limit = request.limit ?? 50;
  const idOf = (code: string) => request.traitIds?.get(code) ?? Number.POSITIVE_INFINITY;
  const traits =
    size === 0 || population === 0
      ? []
      : [...sums]
          .filter(([, s]) => s.count >= minCount && s.count > 0 && s.holders > 0)
          .map(([trait, s]) => {
            const populationShare = s.holders / population;
            const share = s.count / size;
            return {
              trait,
              count: s.count,
              share,
              populationShare,
              index: (share / populationShare) * 100,
              holders: s.holders,
            };
          })
          .sort(
            (a, b) =>
              b.index - a.index ||
              b.count - a.count ||
              idOf(a.trait) - idOf(b.trait) ||
              (a.trait < b.trait ? -1 : a.trait > b.trait ? 1 : 0),
          )
          .slice(0, limit);
  return withLatest({ ...bodies[0], size, population, minCount, traits }, bodies, 'asOf');
}
