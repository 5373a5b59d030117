import { ServiceError } from '../core/service-error.ts';
import { objectOf, where } from './merge/answer-fields.ts';
import { mergeOverlap, mergeSizes, mergeTrend } from './merge/audience-merges.ts';
import { mergeDashboard } from './merge/dashboard-merge.ts';
import type { DashboardRequest } from './merge/dashboard-merge.ts';
import type { InsightsRequest } from './merge/insights-merge.ts';
import { mergeInsights } from './merge/insights-merge.ts';
import { mergeMatchRate } from './merge/match-rate-merge.ts';

export { partitionInsightsQuery } from './merge/insights-merge.ts';
export type { InsightsRequest } from './merge/insights-merge.ts';

/**
 * One partition engine's answer to the same HTTP request.
 * Example: `{ status: 200, body: { size: 3, exact: true, asOf: '2026-12-07T10:00:00.000Z' } }`.
 */
export interface ShardAnswer {
  status: number;
  /** the parsed JSON body */
  body: unknown;
}

/** The mergers of the gathered routes, by route key (`METHOD path`, Fastify's parameter syntax). */
const MERGERS: Readonly<
  Record<string, (route: string, bodies: Record<string, unknown>[], request: MergeRequest) => unknown>
> = {
  'GET /v1/segments/:code/size': mergeSizes,
  'POST /v1/audience/size': mergeSizes,
  'POST /v1/audience/overlap': mergeOverlap,
  'GET /v1/segments/:code/trend': mergeTrend,
  'GET /v1/segments/:code/insights': (route, bodies, request) => mergeInsights(route, bodies, request),
  'GET /v1/partners/:code/match-rate': mergeMatchRate,
  'GET /v1/dashboard': (route, bodies, request) => mergeDashboard(route, bodies, request),
};

/**
 * The route keys that are asked of every partition and merged: `METHOD path` with Fastify's `:param`.
 * Example: `GATHERED_ROUTES.includes('GET /v1/segments/:code/size')` -> `true`.
 */
export const GATHERED_ROUTES: readonly string[] = Object.freeze(Object.keys(MERGERS));

/**
 * What a merge may need besides the answers. Insights: the client's `minCount` and `limit` (partitions
 * are asked for every trait, `partitionInsightsQuery`) and trait ids for ties. The dashboard: the
 * client's `top`, and the `partitionTop` each partition was asked for.
 * Example: `{ minCount: 5, limit: 20, traitIds: new Map([['pricing', 1]]) }`, `{ top: 10, partitionTop: 100000 }`.
 */
export type MergeRequest = InsightsRequest & DashboardRequest;

/**
 * Merges the answers of every partition to one request of `route` (a key of GATHERED_ROUTES) into the
 * answer one engine holding every profile would give. An error answer (not 2xx) of any partition is the
 * answer, unchanged: the first one (rules and codes come from the shared catalog, so every partition
 * refuses alike). Otherwise counts add up and every share, rate and ranking is recomputed from the sums
 * (see each merger in src/scale/merge/). Throws a `ServiceError` 502 when an answer is not the shape the
 * route promises, and a 500 for a route that is not gathered or no answers.
 *
 * Example:
 * ```ts
 * mergeAnswers('GET /v1/segments/:code/size', [
 *   { status: 200, body: { size: 2, exact: true, asOf: '2026-12-07T10:00:00.000Z' } },
 *   { status: 200, body: { size: 3, exact: true, asOf: '2026-12-07T10:00:00.000Z' } },
 * ]); // -> { status: 200, body: { size: 5, exact: true, asOf: '2026-12-07T10:00:00.000Z' } }
 * ```
 */
export function mergeAnswers(
  route: string,
  answers: readonly ShardAnswer[],
  request: MergeRequest = {},
): ShardAnswer {
  const merger = MERGERS[route];
  if (merger === undefined) {
    throw new ServiceError(
      500,
      'not_gathered',
      `mergeAnswers: '${route}' is not a gathered route; use one of ${GATHERED_ROUTES.join(', ')}`,
    );
  }
  const first = answers[0];
  if (first === undefined) {
    throw new ServiceError(500, 'no_answers', `mergeAnswers: no partition answers to merge for ${route}`);
  }
  const refused = answers.find((a) => a.status < 200 || a.status > 299);
  if (refused !== undefined) return refused;
  const bodies = answers.map((a, i) => objectOf(where(route, i), a.body));
  return { status: first.status, body: merger(route, bodies, request) };
}
