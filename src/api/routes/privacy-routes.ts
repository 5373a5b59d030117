import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PrivacyService } from '../../privacy/privacy-service.ts';
import { IdQuery, UidParams } from '../schemas.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import { OPT_OUT_COOKIE, cookie } from './collect-routes.ts';

/** Deletion, access (export) and opt-out requests, with the API key. */
export function privacyRoutes(privacy: PrivacyService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['privacy'];
    app.delete(
      '/v1/profiles/:uid',
      {
        schema: {
          tags,
          summary: 'Delete a visitor: the profile and every trace of it, in every store; answers a receipt',
          params: UidParams,
          querystring: IdQuery,
        },
      },
      async (request) =>
        privacy.delete(request.tenant, { uid: request.params.uid, ...request.query }, request.actor),
    );
    app.get(
      '/v1/profiles/:uid/export',
      {
        schema: {
          tags,
          summary: 'Everything held about a visitor, as JSON',
          params: UidParams,
          querystring: IdQuery,
        },
      },
      async (request) =>
        privacy.export(request.tenant, { uid: request.params.uid, ...request.query }, request.actor),
    );
    app.post(
      '/v1/optouts',
      {
        schema: {
          tags,
          summary: 'Opt a visitor out by ID: collection stops and the profile is deleted',
          body: Type.Object(
            {
              idType: Type.String({ default: 'uid', description: 'uid, maid, or a partner ID type' }),
              id: Type.String({ minLength: 1 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await privacy.optOut(request.tenant, request.body.idType, request.body.id, request.actor)),
    );
  };
}

const OPT_OUT_MAX_AGE_S = 5 * 365 * 24 * 3600;
const OPTED_OUT_PAGE =
  '<!doctype html><meta charset="utf-8"><title>Opted out</title>' +
  "<p>You have opted out. This browser will not be tracked by this site's audience platform, and what was " +
  'held about it has been deleted. Clearing your cookies removes the opt-out.</p>';

/**
 * `GET /optout`: the public opt-out link. Sets a long-lived opt-out cookie on the collector's domain
 * (collection then drops every event from this browser), removes the visitor cookie, and with `?site=KEY`
 * also opts out and deletes the visitor's profile in that site's tenant.
 */
export function publicOptOutRoute(catalog: Catalog, privacy: PrivacyService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/optout',
      {
        schema: {
          tags: ['privacy'],
          summary: 'Opt this browser out (public link for privacy pages)',
          querystring: Type.Object({ site: Type.Optional(Type.String()) }),
          security: [],
        },
      },
      async (request, reply) => {
        const uid = cookie(request, 'dmp_uid');
        const site = request.query.site;
        if (uid !== undefined && site !== undefined) {
          const info = await catalog.siteKeyInfo(site);
          if (info !== undefined) await privacy.optOut(info.tenant, 'uid', uid, 'visitor');
        }
        const https = request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
        const attributes = https ? 'Secure; SameSite=None' : 'SameSite=Lax';
        return reply
          .header('Set-Cookie', [
            `${OPT_OUT_COOKIE}=1; Max-Age=${OPT_OUT_MAX_AGE_S}; Path=/; HttpOnly; ${attributes}`,
            `dmp_uid=; Max-Age=0; Path=/; HttpOnly; ${attributes}`,
          ])
          .header('Cache-Control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(OPTED_OUT_PAGE);
      },
    );
  };
}
