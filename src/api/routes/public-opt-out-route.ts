import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ServiceError } from '../../core/service-error.ts';
import type { PrivacyService } from '../../privacy/privacy-service.ts';
import type { ServerSigner } from '../../privacy/server-signer.ts';
import { crossSiteReason } from '../same-origin.ts';
import type { SiteKeyCache } from '../site-key-cache.ts';
import { OPT_OUT_PAGE_HEADERS, optOutFormPage, optedOutPage } from './opt-out-page.ts';
import { OPT_OUT_COOKIE, UID_COOKIE, cookieFromHeader } from './pixel-collect.ts';

/** Opt-outs (`POST /optout`) a minute from one client IP when configuration says nothing. */
export const DEFAULT_OPT_OUTS_PER_MINUTE = 10;
/** The cookie that binds the opt-out form's token to the browser that loaded the form. */
export const FORM_COOKIE = 'dmp_optout_form';

const OPT_OUT_MAX_AGE_S = 5 * 365 * 24 * 3600;
const FORM_MAX_AGE_S = 3600;
const FORM_PURPOSE = 'optout-form';
const NONCE = /^[A-Za-z0-9_-]{22}$/;
const SiteQuery = Type.Object({ site: Type.Optional(Type.String({ description: 'the site key' })) });

/** What the public opt-out needs. Example: `{ sites, privacy, signer, perMinute: 10 }` */
export interface PublicOptOutDeps {
  sites: SiteKeyCache;
  privacy: PrivacyService;
  signer: ServerSigner;
  /** opt-out posts a minute from one client IP; 0: no limit */
  perMinute: number;
}

/**
 * The public opt-out, for links on privacy pages. `GET /optout[?site=KEY]` changes nothing: it answers
 * a page that explains the opt-out, with a button. The button posts the form back (`POST /optout`),
 * which is accepted only from this server's own page: not cross-site by `Sec-Fetch-Site`, `Origin` or
 * `Referer` (`crossSiteReason`), and with the form's token, an HMAC of a random value kept in a
 * `SameSite=Strict` cookie of the browser that loaded the form. The post sets the long-lived opt-out
 * cookie (collection then drops every event of this browser), removes the visitor cookie, and with
 * `?site=KEY` opts out and deletes the cookie's visitor in that site's tenant. Posts are limited per
 * client IP (429 with `Retry-After`).
 */
export function publicOptOutRoute(deps: PublicOptOutDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const schema = { tags: ['privacy'], querystring: SiteQuery, security: [] };
    app.get(
      '/optout',
      {
        schema: {
          ...schema,
          summary: 'The opt-out page: what opting out does, and a button (changes nothing)',
        },
      },
      async (request, reply) => {
        await tenantOf(deps.sites, request.query.site);
        const kept = cookieFromHeader(request.headers.cookie, FORM_COOKIE);
        const nonce = kept !== undefined && NONCE.test(kept) ? kept : randomBytes(16).toString('base64url');
        const optedOut = cookieFromHeader(request.headers.cookie, OPT_OUT_COOKIE) === '1';
        return page(reply)
          .header('Set-Cookie', formCookie(request, nonce, FORM_MAX_AGE_S))
          .send(optOutFormPage(deps.signer.mac(FORM_PURPOSE, nonce), optedOut));
      },
    );
    await app.register(async (scope) => {
      const posts = scope.withTypeProvider<TypeBoxTypeProvider>();
      limitOptOuts(posts, deps.perMinute);
      posts.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 4096 },
        (_request, body, done) => {
          done(null, Object.fromEntries(new URLSearchParams(String(body))));
        },
      );
      posts.post(
        '/optout',
        {
          schema: {
            ...schema,
            summary: "Opt this browser out: the opt-out page's button (same-origin form post with its token)",
            description:
              'Refused (403) from another site (Sec-Fetch-Site, Origin or Referer) or without the token of the form GET /optout gave this browser; limited per client IP (429).',
            consumes: ['application/x-www-form-urlencoded'],
            body: Type.Unknown({ description: 'the form: token=...' }),
          },
        },
        async (request, reply) => {
          const crossSite = crossSiteReason(request);
          if (crossSite !== undefined) {
            throw new ServiceError(
              403,
              'cross_site_request',
              `an opt-out is accepted only from this server's opt-out page, and this request came from elsewhere (${crossSite}); open GET /optout in the browser and press its button`,
            );
          }
          checkFormToken(deps.signer, request);
          const tenant = await tenantOf(deps.sites, request.query.site);
          const uid = cookieFromHeader(request.headers.cookie, UID_COOKIE);
          if (tenant !== undefined && uid !== undefined && uid !== '')
            await deps.privacy.optOut(tenant, 'uid', uid, 'visitor');
          const attributes = cookieAttributes(request, 'SameSite=None');
          return page(reply)
            .header('Set-Cookie', [
              `${OPT_OUT_COOKIE}=1; Max-Age=${OPT_OUT_MAX_AGE_S}; Path=/; HttpOnly; ${attributes}`,
              `${UID_COOKIE}=; Max-Age=0; Path=/; HttpOnly; ${attributes}`,
              formCookie(request, '', 0),
            ])
            .send(optedOutPage());
        },
      );
    });
  };
}

/**
 * At most `perMinute` opt-out posts a minute from one client IP; over it a 429 with `Retry-After`.
 * Counted apart from the collection limit: `createRateLimit` keeps its own count even when the
 * collection limiter has already run for the request (a second `rateLimit` hook would be skipped).
 */
function limitOptOuts(scope: FastifyInstance, perMinute: number): void {
  if (perMinute <= 0) return;
  const check = scope.createRateLimit({ max: perMinute, timeWindow: 60_000, keyGenerator: (r) => r.ip });
  scope.addHook('onRequest', async (request, reply) => {
    const limit = await check(request);
    // isAllowed means on the allow list (none here); the count is in isExceeded
    if (limit.isAllowed || !limit.isExceeded) return;
    void reply.header('Retry-After', String(limit.ttlInSeconds));
    throw new ServiceError(
      429,
      'rate_limited',
      `over ${limit.max} opt-outs a minute from this address; retry after ${limit.ttlInSeconds} s`,
    );
  });
}

/** Throws a 403 unless the form's token is the MAC of this browser's form cookie. */
function checkFormToken(signer: ServerSigner, request: FastifyRequest): void {
  const nonce = cookieFromHeader(request.headers.cookie, FORM_COOKIE);
  const body = request.body;
  const token =
    typeof body === 'object' && body !== null && 'token' in body && typeof body.token === 'string'
      ? body.token
      : undefined;
  if (nonce === undefined || token === undefined || !signer.check(token, FORM_PURPOSE, nonce)) {
    throw new ServiceError(
      403,
      'invalid_form_token',
      "the opt-out form's token is missing, expired or not this browser's; open GET /optout again and press its button (the browser must accept cookies)",
      { field: 'token' },
    );
  }
}

/** The site key's tenant; undefined without a key; a 403 for a key that is not valid. */
async function tenantOf(sites: SiteKeyCache, site: string | undefined): Promise<string | undefined> {
  if (site === undefined) return undefined;
  const info = await sites.get(site);
  if (info === undefined) {
    throw new ServiceError(
      403,
      'forbidden',
      "the site key in ?site= is not valid; use the site's own key, or no site for this browser's opt-out cookie alone",
      { field: 'site' },
    );
  }
  return info.tenant;
}

function page(reply: FastifyReply): FastifyReply {
  return reply.headers(OPT_OUT_PAGE_HEADERS).type('text/html; charset=utf-8');
}

function formCookie(request: FastifyRequest, nonce: string, maxAge: number): string {
  return `${FORM_COOKIE}=${nonce}; Max-Age=${maxAge}; Path=/; HttpOnly; ${cookieAttributes(request, 'SameSite=Strict')}`;
}

/** The cookies' attributes: on HTTPS, Secure and the given SameSite; on plain HTTP (development), Lax or Strict. */
function cookieAttributes(request: FastifyRequest, sameSite: 'SameSite=None' | 'SameSite=Strict'): string {
  if (request.protocol === 'https') return `Secure; ${sameSite}`;
  return sameSite === 'SameSite=None' ? 'SameSite=Lax' : sameSite;
}
