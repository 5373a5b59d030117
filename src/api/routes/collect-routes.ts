import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiKeyService } from '../../governance/api-key-service.ts';
import type { CollectLimits } from '../../collect/index.ts';
import { parseEventBody } from '../../collect/index.ts';
import type { IngestService } from '../../ingest/ingest-service.ts';
import { roleMay } from '../../core/roles.ts';
import { ServiceError } from '../../core/service-error.ts';
import { bearerToken } from '../auth.ts';
import { corsHeaders, siteCors } from '../site-cors.ts';
import type { Metrics } from '../metrics.ts';
import { EventsBody } from '../schemas.ts';
import { readBody } from '../read-body.ts';
import { type SiteKeyCache, requireSiteKey } from '../site-key-cache.ts';
import { OPT_OUT_COOKIE, collectPixel, cookieFromHeader, countEvents, uidCookie } from './pixel-collect.ts';

export { OPT_OUT_COOKIE };

/** The 1x1 transparent GIF the pixel answers. */
export const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * `GET /px` and `POST /v1/events` (docs/api.md, Collection): a site key (`sites`, cached) or, for
 * `POST /v1/events`, an API key (`apiKeys`) says whose events they are.
 * Example: `await app.register(collectRoutes(apiKeys, sites, ingest, defaultLimits, metrics))`.
 */
export function collectRoutes(
  apiKeys: Pick<ApiKeyService, 'identify'>,
  sites: SiteKeyCache,
  ingest: IngestService,
  limits: CollectLimits,
  metrics: Metrics,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.removeAllContentTypeParsers();
    // gzip and deflate bodies too; the size limit applies once decompressed (a gzip bomb is a 413)
    app.addContentTypeParser('*', (request, payload, done) => {
      readBody(payload, request.headers, limits.maxBodyBytes).then((body) => done(null, body), done);
    });
    app.options('/v1/events', async (request, reply) => {
      const site = first((request.query as Record<string, string | string[] | undefined>).site);
      await siteTenant(sites, site, request, reply);
      return reply
        .code(204)
        .header('Access-Control-Allow-Methods', 'POST')
        .header('Access-Control-Allow-Headers', 'Content-Type, Content-Encoding')
        .header('Access-Control-Max-Age', '86400')
        .send();
    });

    app.get(
      '/px',
      {
        schema: {
          tags: ['collect'],
          summary: 'Pixel: records one event and answers a 1x1 GIF',
          querystring: Type.Object(
            { site: Type.String({ description: 'the site key' }) },
            { additionalProperties: true },
          ),
        },
      },
      async (request, reply) => {
        const query = request.query as Record<string, string | string[] | undefined>;
        const tenant = await siteTenant(sites, first(query.site), request, reply);
        const outcome = await collectPixel(ingest, metrics, tenant, query, {
          headers: request.headers,
          ip: request.ip,
          https: isHttps(request),
        });
        if (outcome.setCookie !== undefined) void reply.header('Set-Cookie', outcome.setCookie);
        if (outcome.invalid !== undefined) throw new ServiceError(400, 'invalid_event', outcome.invalid);
        return reply.code(200).type('image/gif').header('Cache-Control', 'no-store, max-age=0').send(GIF);
      },
    );

    app.post(
      '/v1/events',
      {
        attachValidation: true,
        schema: {
          tags: ['collect'],
          summary: 'Events: one JSON object, a JSON array, or NDJSON (application/x-ndjson)',
          description:
            'Authorised by the API key (Authorization: Bearer KEY) or by ?site=SITEKEY. Answers 202 {accepted, rejected: [{index, error}]} once the accepted events are durably stored; 400 when none is good. An event may carry "id" (1 to 128 characters, unique per tenant for its sender): one whose id was accepted within the deduplication window (7 days by default) is acknowledged again and counted in "duplicates", not stored twice, so a batch may be retried safely. 503 with Retry-After when the disk is too far behind.',
          querystring: Type.Object({ site: Type.Optional(Type.String()) }),
          body: EventsBody,
        },
      },
      async (request, reply) => {
        const key = bearerToken(request);
        const site = first((request.query as Record<string, string | string[] | undefined>).site);
        let tenant: string;
        let trusted = false;
        if (key !== undefined) {
          const identity = await apiKeys.identify(key);
          if (identity === undefined) throw new ServiceError(401, 'unauthorized', 'the API key is not valid');
          if (!roleMay(identity.role, 'edit'))
            throw new ServiceError(
              403,
              'forbidden',
              `the key's role '${identity.role}' lacks the permission 'edit' that sending events with an API key needs`,
            );
          tenant = identity.tenant;
          trusted = true;
        } else {
          tenant = await siteTenant(sites, site, request, reply);
        }
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const parsed = parseEventBody(body, request.headers['content-type'], limits);
        if ('error' in parsed) {
          throw new ServiceError(
            parsed.tooLarge ? 413 : 400,
            parsed.tooLarge ? 'too_large' : 'invalid_body',
            parsed.error,
          );
        }
        const result = await ingest.ingest(tenant, parsed, source(request, trusted));
        countEvents(metrics, tenant, result.accepted, result.rejected.length, result.duplicates);
        const dropped = result.dropped.consent + result.dropped.optOut;
        const answer =
          dropped > 0
            ? { accepted: result.accepted, rejected: result.rejected, dropped: result.dropped }
            : { accepted: result.accepted, rejected: result.rejected };
        // a retry's events already accepted are acknowledged again: a batch of only those is a 202 too
        const { duplicates } = result;
        const acknowledged = result.accepted + dropped + duplicates;
        return reply
          .code(acknowledged === 0 ? 400 : 202)
          .send(duplicates > 0 ? { ...answer, duplicates } : answer);
      },
    );
  };
}

/**
 * The tenant of a site key. A browser request (with an Origin header) must come from one of the key's
 * allowed origins, and then gets CORS headers for that origin with credentials; a key open to any origin
 * answers `*` without credentials (so no other site reads an answer made with the visitor's cookie).
 */
async function siteTenant(
  sites: SiteKeyCache,
  site: string | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<string> {
  const info = await requireSiteKey(
    sites,
    site,
    'send the site key as ?site=SITEKEY (or the API key as a Bearer token)',
  );
  // a browser's request: the key's own origins with credentials, `*` keys without (siteCors)
  if (request.headers.origin !== undefined) corsHeaders(reply, siteCors(info.origins, request));
  return info.tenant;
}

function source(request: FastifyRequest, trusted: boolean) {
  const ua = request.headers['user-agent'];
  const optOutCookie = !trusted && cookie(request, OPT_OUT_COOKIE) === '1';
  return { trusted, ip: request.ip, ua, gpc: request.headers['sec-gpc'] === '1', optOutCookie };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The value of one cookie of the request. Example: `cookie(request, 'dmp_uid')` -> `'c-1'`. */
export function cookie(request: FastifyRequest, name: string): string | undefined {
  return cookieFromHeader(request.headers.cookie, name);
}

/**
 * Whether the request came over HTTPS: directly, through a trusted proxy, or with `X-Forwarded-Proto:
 * https` from any peer (a client can only change its own cookie's attributes and its own sync redirect's
 * scheme with it, and a proxy the operator did not declare still gets Secure cookies).
 */
export function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

/** Sets the visitor ID cookie. Example: `setUidCookie(request, reply, 'c-1')`. */
export function setUidCookie(request: FastifyRequest, reply: FastifyReply, uid: string): void {
  void reply.header('Set-Cookie', uidCookie(uid, isHttps(request)));
}
