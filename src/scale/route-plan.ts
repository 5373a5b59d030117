/**
 * Where a front (API server or collector, ADR 0035) sends each request, by its route: to the worker
 * that owns the visitor's partition, to every partition with the answers merged, to every partition
 * with the one that knows the visitor answering, refused (not yet in a scaled-out deployment), or
 * handled by the front itself (the catalog, collection, sessions: everything that reads no profile).
 */
import { GATHERED_ROUTES } from './merge-answers.ts';

/**
 * `owner`: the route names our uid (`:uid`), so one partition holds the answer; `find`: the visitor is
 * named by another ID, so every partition is asked and the one holding it answers; `browser`: the
 * visitor is the calling browser's (its visitor token's or cookie's uid), so its partition answers, and
 * any one partition when it names none (an unknown visitor and one with nothing to send get the same
 * empty answer, and a bad site key or token the same error, wherever asked); `gather`: every
 * partition's exact answer, added up (`merge-answers.ts`); `page`: paging through every profile,
 * partition after partition (`profile-pages.ts`); `refuse`: not built for scale-out yet; `local`: the
 * front answers.
 */
export type RoutePlan = 'owner' | 'find' | 'browser' | 'gather' | 'page' | 'refuse' | 'local';

/** One-visitor routes: by `:uid` they go to its owner; with `?idType=&id=` they are found. */
const VISITOR_ROUTES = new Set([
  'GET /v1/profiles/:uid',
  'GET /v1/profiles/:uid/segments',
  'GET /v1/profiles/:uid/explain',
  'GET /v1/profiles/:uid/export',
  'DELETE /v1/profiles/:uid',
]);

/** Routes that look a visitor up by an ID the front cannot place (a bid request's IDs): asked of all. */
const FIND_ROUTES = new Set(['POST /v1/openrtb/enrich']);

/** Public routes for the calling browser's visitor (cookie or visitor token): asked of its partition. */
const BROWSER_ROUTES = new Set(['GET /v1/page/targeting']);

/**
 * Routes a scaled-out deployment does not run yet, with why: an ID-link file's row may join visitors of
 * two partitions, which ADR 27's ID graph would merge and partitions cannot yet. Batch and campaign runs
 * are the API server's own, over every partition's members (ADR 0038); so is file onboarding, each chunk
 * split by partition (ADR 0039).
 */
export const REFUSED_ROUTES: Readonly<Record<string, string>> = {
  'POST /v1/identity/links': 'ID-link files',
};

const GATHERED = new Set(GATHERED_ROUTES);

/**
 * The plan for a route key (`METHOD /path/:param`) and the request's query.
 *
 * Example: `planOf('GET /v1/profiles/:uid', {})` -> `'owner'`; with `{ idType: 'maid' }` -> `'find'`.
 */
export function planOf(route: string, query: Record<string, unknown>): RoutePlan {
  if (VISITOR_ROUTES.has(route)) return typeof query.idType === 'string' ? 'find' : 'owner';
  if (FIND_ROUTES.has(route)) return 'find';
  if (BROWSER_ROUTES.has(route)) return 'browser';
  if (GATHERED.has(route)) return 'gather';
  if (route === 'GET /v1/profiles') return 'page';
  if (route in REFUSED_ROUTES) return 'refuse';
  return 'local';
}
