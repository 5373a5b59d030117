import type { FastifyReply, FastifyRequest } from 'fastify';
import { originAllowed } from '../governance/site-key-service.ts';
import { ServiceError } from '../core/service-error.ts';

/**
 * How a public route that reads the visitor's cookie answers a browser, by the site key's origins:
 * - an `Origin` among the key's own origins: that origin, with credentials (the cookie is read);
 * - a key open to any origin (`['*']`): `Access-Control-Allow-Origin: *` without credentials, and the
 *   cookie is not read (a page of any site could otherwise read its visitor's answer);
 * - no `Origin`: same-origin or not a browser's `fetch`; the cookie is read unless `Sec-Fetch-Site`
 *   says another site made the request (an image or script tag);
 * - any other origin, `null` included: refused (403), with no CORS headers.
 *
 * Example: `siteCors(['https://shop.example.com'], request)` ->
 * `{ allowOrigin: 'https://shop.example.com', credentials: true, readCookie: true }`.
 */
export interface SiteCors {
  /** the `Access-Control-Allow-Origin` to send; undefined: none */
  allowOrigin: string | undefined;
  /** whether `Access-Control-Allow-Credentials: true` is sent */
  credentials: boolean;
  /** whether the visitor's cookie may answer this request */
  readCookie: boolean;
}

/**
 * The CORS answer to a browser's `Origin` for a site key's origins, `undefined` when refused: a key open
 * to any origin gets `*` without credentials (never a reflected origin with credentials); one of the
 * key's own origins gets itself with credentials; `null` (sandboxed frames, file: pages, some redirects)
 * is never a site's origin. Shared by every public route, the pixel's fast path included.
 *
 * Example: `originCors(['*'], 'https://evil.example')` -> `{ allowOrigin: '*', credentials: false }`;
 * `originCors(['https://shop.example.com'], 'null')` -> `undefined`.
 */
export function originCors(
  origins: readonly string[],
  origin: string,
): { allowOrigin: string; credentials: boolean } | undefined {
  if (origins.includes('*')) return { allowOrigin: '*', credentials: false };
  if (origin !== 'null' && originAllowed(origins, origin)) return { allowOrigin: origin, credentials: true };
  return undefined;
}

/** Decides a request's CORS (see `SiteCors`); throws a 403 `origin_not_allowed` for another origin. */
export function siteCors(origins: readonly string[], request: FastifyRequest): SiteCors {
  const origin = request.headers.origin;
  if (origin === undefined) {
    const from = request.headers['sec-fetch-site'];
    return {
      allowOrigin: undefined,
      credentials: false,
      readCookie: from !== 'cross-site' && from !== 'same-site',
    };
  }
  const allowed = originCors(origins, origin);
  if (allowed !== undefined) return { ...allowed, readCookie: allowed.credentials };
  throw new ServiceError(403, 'origin_not_allowed', `origin ${origin} is not one of this site key's sites`, {
    field: 'Origin',
  });
}

/**
 * Writes the CORS headers of a decision; `Vary: Origin` always, so that a cache never serves one
 * origin's answer to another. Example: `corsHeaders(reply, siteCors(info.origins, request))`.
 */
export function corsHeaders(reply: FastifyReply, cors: SiteCors | undefined): void {
  void reply.header('Vary', 'Origin');
  if (cors?.allowOrigin === undefined) return;
  void reply.header('Access-Control-Allow-Origin', cors.allowOrigin);
  if (cors.credentials) void reply.header('Access-Control-Allow-Credentials', 'true');
}
