import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ServiceError } from '../../core/service-error.ts';
import type { IdSyncService } from '../../identity/id-sync-service.ts';
import { describeSkipped } from '../../identity/id-sync-service.ts';
import { checkedJson } from '../json-body.ts';
import { corsHeaders, siteCors } from '../site-cors.ts';
import { requireSiteKey, type SiteKeyCache } from '../site-key-cache.ts';
import { sitePreflight } from '../site-key-preflight.ts';
import { GIF, cookie, isHttps, setUidCookie } from './collect-routes.ts';
import { OPT_OUT_COOKIE, UID_COOKIE } from './pixel-collect.ts';

/** The largest `/cookie_sync` body read: 256 bidders and four consent strings fit many times over. */
const MAX_COOKIE_SYNC_BODY = 65_536;
/** A host as a `Host` header may name this server: a name or an IPv4 address, or a bracketed IPv6, and a port. */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

const SiteQuery = Type.Object({ site: Type.String({ description: 'the site key' }) });

const CookieSyncBody = Type.Object(
  {
    bidders: Type.Optional(
      Type.Array(Type.String(), {
        description: 'the partner codes to sync (absent: every partner; []: none)',
        maxItems: 256,
      }),
    ),
    gdpr: Type.Optional(
      Type.Union([Type.Literal(0), Type.Literal(1)], { description: '1 where GDPR applies' }),
    ),
    gdpr_consent: Type.Optional(Type.String({ description: 'the TC string; required with gdpr: 1' })),
    us_privacy: Type.Optional(Type.String({ description: 'the US Privacy string, e.g. 1YNN' })),
    gpp: Type.Optional(Type.String({ description: 'the GPP string' })),
    gpp_sid: Type.Optional(Type.String({ description: 'the GPP section IDs that apply, e.g. "2,6"' })),
    limit: Type.Optional(Type.Integer({ description: 'the most syncs to answer (0 or less: no limit)' })),
  },
  {
    additionalProperties: true,
    description: "Prebid Server's /cookie_sync body, as Prebid.js sends it (other fields are ignored)",
  },
);

const CookieSyncAnswer = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('no_cookie')], {
    description: 'ok: the browser has our dmp_uid cookie; no_cookie: it has none (every partner is listed)',
  }),
  bidder_status: Type.Array(
    Type.Object({
      bidder: Type.String(),
      no_cookie: Type.Boolean(),
      usersync: Type.Object({
        url: Type.String(),
        type: Type.Union([Type.Literal('redirect'), Type.Literal('iframe')]),
        supportCORS: Type.Boolean(),
      }),
    }),
  ),
});

const SetUidQuery = Type.Object({
  site: Type.String({ description: 'the site key' }),
  bidder: Type.String({ description: "the partner's code" }),
  uid: Type.Optional(Type.String({ description: "the partner's user ID (empty: the partner has none)" })),
  gdpr: Type.Optional(Type.String({ description: '0 or 1' })),
  gdpr_consent: Type.Optional(Type.String({ description: 'the TC string; required with gdpr=1' })),
  us_privacy: Type.Optional(Type.String()),
  gpp: Type.Optional(Type.String()),
  gpp_sid: Type.Optional(Type.String()),
  f: Type.Optional(
    Type.Union([Type.Literal('i'), Type.Literal('b')], {
      description: 'i: answer a 1x1 GIF (default); b: an empty page (iframe syncs)',
    }),
  ),
});

/** The `/cookie_sync` body is read by the service (`readCookieSyncRequest`), as Prebid Server reads it. */
const asSent = () => () => true;

/** Where the browser reached this server (`https://dmp.example`): the base of `${REDIRECT}`'s `/setuid` URL. */
function publicBase(request: FastifyRequest): string {
  const host = request.host;
  if (!HOST.test(host)) {
    throw new ServiceError(400, 'invalid_host', 'the Host header is not a host name such as dmp.example', {
      field: 'Host',
    });
  }
  return `${isHttps(request) ? 'https' : 'http'}://${host}`;
}

/**
 * ID sync with partners, Prebid Server's endpoints (issue 15), public and authorised by the site key:
 * - `POST /cookie_sync?site=KEY` (and its CORS preflight), called by the page with credentials: the
 *   syncs the page should run (`bidder_status`), for the visitor of the `dmp_uid` cookie when the page's
 *   origin is one of the site key's own (answered with that origin and credentials, `siteCors`); a key
 *   open to any origin answers `*` and reads no cookie; another origin gets a 403 without CORS headers.
 *   The body may be sent as `text/plain` (no preflight), as Prebid.js does, or `application/json`.
 * - `GET /setuid?site=KEY&bidder=CODE&uid=ID`: where the partner redirects the browser back; records
 *   the partner's ID for the cookie's visitor (a new cookie when there is none) and answers a 1x1 GIF
 *   (`f=i`, default) or an empty page (`f=b`).
 * Register it in the collection scope: the same per-IP rate limit as the pixel.
 */
export function idSyncRoutes(sites: SiteKeyCache, idSync: IdSyncService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const parse = checkedJson(app);
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser(
      'text/plain',
      { parseAs: 'string', bodyLimit: MAX_COOKIE_SYNC_BODY },
      (request, body, done) =>
        (body as string).trim() === '' ? done(null, undefined) : parse(request, body as string, done),
    );
    const tags = ['identity'];

    sitePreflight(app, sites, '/cookie_sync', {
      tag: tags[0]!,
      summary: "CORS preflight of /cookie_sync: allowed for the site key's own origins",
      methods: 'POST',
      headers: 'Content-Type',
    });

    app.post(
      '/cookie_sync',
      {
        bodyLimit: MAX_COOKIE_SYNC_BODY,
        validatorCompiler: asSent,
        schema: {
          tags,
          summary: "Prebid Server's /cookie_sync: the ID syncs the page should run for the calling browser",
          description:
            "Partners are skipped when their ID for the visitor is fresher than resyncDays, when a US opt-out (US Privacy, GPP, Sec-GPC: 1) applies, where GDPR applies without purpose 1 and the partner's vendor consent, or past limit; an opted-out visitor gets none. Without our cookie (or from a site key open to any origin) the status is no_cookie and every eligible partner is listed.",
          security: [],
          querystring: SiteQuery,
          body: CookieSyncBody,
          response: { 200: CookieSyncAnswer },
        },
      },
      async (request, reply) => {
        const siteKey = (request.query as { site?: string }).site;
        const info = await requireSiteKey(sites, siteKey);
        const cors = siteCors(info.origins, request);
        corsHeaders(reply, cors);
        const own = cors.readCookie ? cookie(request, UID_COOKIE) : undefined;
        const plan = await idSync.cookieSync(info.tenant, {
          body: request.body,
          gpc: request.headers['sec-gpc'] === '1',
          uid: own === '' ? undefined : own,
          optOutCookie: cookie(request, OPT_OUT_COOKIE) === '1',
          publicBase: publicBase(request),
          siteKey: siteKey ?? '',
        });
        if (plan.skipped.length > 0)
          request.log.debug(`cookie_sync skipped ${describeSkipped(plan.skipped)}`);
        return reply
          .header('Cache-Control', 'no-store')
          .send({ status: plan.status, bidder_status: plan.bidder_status });
      },
    );

    app.get(
      '/setuid',
      {
        schema: {
          tags,
          summary: "Prebid Server's /setuid: records a partner's user ID for the browser's visitor",
          description:
            "The partner redirects the browser here (our ${REDIRECT}). The ID is kept under the partner's code as ID type (GET /v1/profiles/{uid} shows it). 400 for an unknown bidder or an invalid uid; 451 when the consent does not let the partner's ID be stored. An opted-out visitor gets the same answer, and nothing is recorded.",
          security: [],
          querystring: SetUidQuery,
        },
      },
      async (request, reply) => {
        const q = request.query;
        const info = await requireSiteKey(sites, q.site);
        const result = await idSync.setUid(info.tenant, {
          bidder: q.bidder,
          uid: q.uid,
          gdpr: q.gdpr,
          gdprConsent: q.gdpr_consent,
          usPrivacy: q.us_privacy,
          gpp: q.gpp,
          gppSid: q.gpp_sid,
          cookie: cookie(request, UID_COOKIE),
          optOutCookie: cookie(request, OPT_OUT_COOKIE) === '1',
          gpc: request.headers['sec-gpc'] === '1',
          ip: request.ip,
          ua: request.headers['user-agent'],
        });
        if (result.outcome !== 'recorded') request.log.debug(`setuid ${q.bidder}: ${result.outcome}`);
        if (result.newUid !== undefined) setUidCookie(request, reply, result.newUid);
        void reply.header('Cache-Control', 'no-store, max-age=0');
        if (q.f === 'b') return reply.code(200).type('text/html; charset=utf-8').send('');
        return reply.code(200).type('image/gif').send(GIF);
      },
    );
  };
}
