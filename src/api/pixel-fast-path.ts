import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { originCors } from './site-cors.ts';
import { ServiceError } from '../core/service-error.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import type { Metrics } from './metrics.ts';
import { problem } from './problem.ts';
import { parseQueryString } from './query-string.ts';
import { GIF } from './routes/collect-routes.ts';
import { collectPixel } from './routes/pixel-collect.ts';
import type { SiteKeyCache } from './site-key-cache.ts';
import { clientAddress, peerTrusted } from './trust-proxy.ts';
import type { TrustProxy } from './trust-proxy.ts';

/** What the fast path needs: the same services and site-key cache as the `/px` route. */
export interface PixelFastPathDeps {
  ingest: IngestService;
  metrics: Metrics;
  sites: SiteKeyCache;
  log: FastifyBaseLogger;
  /** which peers may set the client's address and protocol, as Fastify is told (`trustProxy`) */
  trust: TrustProxy;
}

/**
 * `GET /px` served before Fastify's router, for the common case only: a single `site` that the cache
 * knows, and no `Origin` or an allowed one. It calls the same `collectPixel` as the route and writes
 * the same answer (headers, GIF, problem documents, the request-duration metric), at about a third of
 * Fastify's per-request CPU. Anything else (a missing, repeated or not yet cached site key, a refused
 * origin, another route) returns `false` untouched, and Fastify answers it as before. Only installed
 * when request logging is below `info` and the collection rate limit is off (neither is kept here).
 *
 * Example:
 * ```ts
 * const fast = pixelFastPath({ ingest, metrics, sites, log: app.log, trust });
 * createServer((req, res) => { if (!fast(req, res)) fastifyHandler(req, res); });
 * ```
 */
export function pixelFastPath(
  deps: PixelFastPathDeps,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const ok = deps.metrics.requestSeconds.labels({ method: 'GET', route: '/px', status: '200' });
  return (req, res) => {
    const url = req.url;
    if (req.method !== 'GET' || url === undefined || !url.startsWith('/px?')) return false;
    const query = parseQueryString(url.slice(4));
    const site = query.site;
    if (typeof site !== 'string' || site === '') return false;
    const info = deps.sites.peek(site);
    if (info === undefined) return false;
    const origin = req.headers.origin;
    const cors = origin === undefined ? undefined : originCors(info.origins, origin);
    if (origin !== undefined && cors === undefined) return false;
    const start = performance.now();
    if (cors !== undefined) {
      res.setHeader('access-control-allow-origin', cors.allowOrigin);
      if (cors.credentials) res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('vary', 'Origin');
    }
    const from = {
      headers: req.headers,
      ip: clientAddress(req, deps.trust),
      https: isHttps(req, deps.trust),
    };
    collectPixel(deps.ingest, deps.metrics, info.tenant, query, from).then(
      (outcome) => {
        if (outcome.setCookie !== undefined) res.setHeader('set-cookie', outcome.setCookie);
        if (outcome.invalid !== undefined) {
          sendProblem(res, new ServiceError(400, 'invalid_event', outcome.invalid), deps, start);
          return;
        }
        res.statusCode = 200;
        res.setHeader('content-type', 'image/gif');
        res.setHeader('cache-control', 'no-store, max-age=0');
        res.setHeader('content-length', GIF.length);
        res.end(GIF);
        ok.observe((performance.now() - start) / 1000);
      },
      (error: unknown) => sendProblem(res, error, deps, start),
    );
    return true;
  };
}

/** As the error handler answers a thrown error: a `ServiceError` as its problem, anything else as a 500. */
function sendProblem(res: ServerResponse, error: unknown, deps: PixelFastPathDeps, start: number): void {
  let p;
  if (error instanceof ServiceError) {
    const { retryAfterS, ...extra } = error.extra;
    if (error.status === 503 || retryAfterS !== undefined)
      res.setHeader('retry-after', String(retryAfterS ?? 1));
    p = problem(error.status, error.code, error.message, extra);
  } else {
    deps.log.error({ err: error }, 'unexpected error');
    p = problem(500, 'internal', 'something went wrong on our side; it has been logged');
  }
  const body = JSON.stringify(p);
  res.statusCode = p.status;
  res.setHeader('content-type', 'application/problem+json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
  deps.metrics.requestSeconds.observe(
    { method: 'GET', route: '/px', status: String(p.status) },
    (performance.now() - start) / 1000,
  );
}

/**
 * `request.protocol === 'https'` as Fastify has it (the last `X-Forwarded-Proto` entry when the peer is a
 * trusted proxy, else the socket's TLS), or that header being exactly `https` (as the route also checks).
 */
function isHttps(req: IncomingMessage, trust: TrustProxy): boolean {
  const proto = req.headers['x-forwarded-proto'];
  if (typeof proto !== 'string' || proto === '' || !peerTrusted(req, trust))
    return (req.socket as { encrypted?: boolean }).encrypted === true || proto === 'https';
  const last = proto.lastIndexOf(',');
  const protocol = (last === -1 ? proto : proto.slice(last + 1)).trim();
  return protocol === 'https' || proto === 'https';
}
