import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Consent } from '../../core/event.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { RealtimeActivation } from '../../activate/realtime-activation.ts';
import type { VisitorTokens } from '../../privacy/visitor-tokens.ts';
import type { SiteKeyCache } from '../site-key-cache.ts';
import { corsHeaders, siteCors } from '../site-cors.ts';
import { sitePreflight } from '../site-key-preflight.ts';
import { cookie } from './collect-routes.ts';

const PageQuery = Type.Object({
  site: Type.String({ description: 'the site key' }),
  destination: Type.String({ description: 'a prebid, gam or url destination' }),
  vt: Type.Optional(
    Type.String({
      maxLength: 1024,
      description:
        "a visitor token from POST /v1/visitor-tokens; without it, the browser's own dmp_uid cookie",
    }),
  ),
  uid: Type.Optional(
    Type.String({ description: 'refused (400): the answer is only for the calling browser (cookie or vt)' }),
  ),
  gdpr: Type.Optional(Type.String()),
  gdpr_consent: Type.Optional(Type.String()),
  us_privacy: Type.Optional(Type.String()),
  gpp: Type.Optional(Type.String()),
  gpp_sid: Type.Optional(Type.String()),
});

// The answer is the same, key for key, for an unknown visitor and for a visitor with nothing to send: the
// verdict (which says whether a profile exists) stays in the server's delivery counts.
const PageAnswer = Type.Object({
  destination: Type.String(),
  kind: Type.String({ description: 'prebid, gam or url' }),
  ortb2: Type.Optional(
    Type.Object({ user: Type.Object({ data: Type.Array(Type.Object({}, { additionalProperties: true })) }) }),
  ),
  targeting: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
  dropped: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
  pixels: Type.Optional(Type.Array(Type.String())),
});

/**
 * `GET /v1/page/targeting` (and its CORS preflight): public, with the site key. Answers Prebid
 * `ortb2.user.data`, GAM key-values or pixel URLs for the visitor of the calling browser only: the one a
 * visitor token names (`vt`), else the browser's own `dmp_uid` cookie when `siteCors` lets it be read;
 * never a `uid` of the query (400). CORS only for the site key's origins (`siteCors`).
 */
export function pageTargetingRoute(
  sites: SiteKeyCache,
  realtime: RealtimeActivation,
  tokens: VisitorTokens,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    sitePreflight(app, sites, '/v1/page/targeting', {
      tag: 'activation',
      summary: "CORS preflight: allowed for the site key's own origins",
      methods: 'GET',
    });
    app.get(
      '/v1/page/targeting',
      {
        schema: {
          tags: ['activation'],
          summary:
            "The page's targeting for the calling browser's visitor: Prebid ortb2.user.data, GAM key-values, or pixel URLs",
          description:
            "The visitor is the one the visitor token `vt` names, else the browser's own dmp_uid cookie (call with credentials from one of the site key's origins). An unknown visitor gets the same answer as a visitor with nothing to send.",
          security: [],
          querystring: PageQuery,
          response: { 200: PageAnswer },
        },
      },
      async (request, reply) => {
        const q = request.query;
        if (q.uid !== undefined) {
          throw new ServiceError(
            400,
            'uid_not_accepted',
            "page targeting answers only for the calling browser's visitor: remove uid from the query; call with credentials (the dmp_uid cookie) or pass a visitor token as vt (POST /v1/visitor-tokens)",
            { field: 'uid' },
          );
        }
        const info = await sites.get(q.site);
        if (info === undefined)
          throw new ServiceError(403, 'forbidden', 'the site key is not valid', { field: 'site' });
        const cors = siteCors(info.origins, request);
        corsHeaders(reply, cors);
        const uid = visitorOf(request, tokens, info.tenant, q.vt, cors.readCookie);
        const { verdict: _verdict, ...answer } = await realtime.page(
          info.tenant,
          q.destination,
          uid,
          pageConsent(q, request),
        );
        return reply
          .header('Cache-Control', 'no-store')
          .header('X-Content-Type-Options', 'nosniff')
          .send(answer);
      },
    );
  };
}

/**
 * The tenant and visitor a page-targeting request names, for a scaled-out front to pick the partition
 * that answers it: a valid token's visitor, else the `dmp_uid` cookie's (whether the cookie may be read is
 * the answering engine's to decide); undefined when the site key or the visitor is unknown (any partition
 * then gives the answer: an error, or the empty one).
 */
export async function browserVisitor(
  request: FastifyRequest<{ Querystring: { site?: string; vt?: string } }>,
  sites: SiteKeyCache,
  tokens: VisitorTokens,
): Promise<{ tenant: string; uid: string } | undefined> {
  const { site, vt } = request.query;
  const info = typeof site === 'string' ? await sites.get(site) : undefined;
  if (info === undefined) return undefined;
  if (typeof vt === 'string') {
    const checked = tokens.verify(info.tenant, vt);
    return checked.ok ? { tenant: info.tenant, uid: checked.uid } : undefined;
  }
  const uid = cookie(request, 'dmp_uid');
  return uid === undefined || uid === '' ? undefined : { tenant: info.tenant, uid };
}

/** The visitor a request may be answered for: a valid token's, else the readable cookie's, else none. */
function visitorOf(
  request: FastifyRequest,
  tokens: VisitorTokens,
  tenant: string,
  token: string | undefined,
  readCookie: boolean,
): string | undefined {
  if (token !== undefined) {
    const checked = tokens.verify(tenant, token);
    if (!checked.ok)
      throw new ServiceError(
        401,
        'invalid_visitor_token',
        `vt: ${checked.reason}; ask the site's server for a new one`,
        {
          field: 'vt',
        },
      );
    return checked.uid;
  }
  if (!readCookie) return undefined;
  const uid = cookie(request, 'dmp_uid');
  return uid === '' ? undefined : uid;
}

/**
 * The consent the page sent (as in ID-sync URLs), or undefined when it sent none. `Sec-GPC: 1` alone is
 * a consent signal too (a US opt-out), with or without the other parameters.
 */
function pageConsent(
  q: { gdpr?: string; gdpr_consent?: string; us_privacy?: string; gpp?: string; gpp_sid?: string },
  request: FastifyRequest,
): Consent | undefined {
  if (
    request.headers['sec-gpc'] !== '1' &&
    q.gdpr === undefined &&
    q.gdpr_consent === undefined &&
    q.us_privacy === undefined &&
    q.gpp === undefined
  )
    return undefined;
  return {
    gdpr: q.gdpr === '1' ? 1 : q.gdpr === '0' ? 0 : undefined,
    tcf: q.gdpr_consent,
    usp: q.us_privacy,
    gpp: q.gpp,
    gppSid: q.gpp_sid?.split(',').map(Number).filter(Number.isInteger),
    gpc: request.headers['sec-gpc'] === '1',
  };
}
