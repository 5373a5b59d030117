import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SiteKeyService } from '../../governance/site-key-service.ts';

const SiteKeyAnswer = Type.Object({
  key: Type.String(),
  origins: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});

/**
 * `GET /v1/site-keys` and `PUT /v1/site-keys/{key}`, with the API key: the tenant's site keys and the
 * origins each may be used from. Collection and page targeting answer a browser's CORS request only for
 * these origins, and page targeting reads the visitor cookie only for them (`['*']`: any origin, but
 * without credentials). A change reaches the collectors within a second (the site-key cache).
 *
 * Example: `PUT /v1/site-keys/site_Jx3k {"origins": ["https://shop.example.com"]}` -> the key with its origins.
 */
export function siteKeyRoutes(siteKeys: SiteKeyService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['governance'];
    app.get(
      '/v1/site-keys',
      {
        schema: {
          tags,
          summary: "The tenant's site keys and their allowed origins",
          response: { 200: Type.Object({ siteKeys: Type.Array(SiteKeyAnswer) }) },
        },
      },
      async (request) => ({ siteKeys: await siteKeys.list(request.tenant) }),
    );
    app.put(
      '/v1/site-keys/:key',
      {
        schema: {
          tags,
          summary: "Replaces a site key's allowed origins (scheme://host[:port], or ['*'] for any)",
          params: Type.Object({ key: Type.String() }),
          body: Type.Object(
            { origins: Type.Array(Type.String({ maxLength: 300 }), { minItems: 1, maxItems: 100 }) },
            { additionalProperties: false },
          ),
          response: { 200: SiteKeyAnswer },
        },
      },
      async (request) =>
        siteKeys.setOrigins(request.tenant, request.params.key, request.body.origins, request.actor),
    );
  };
}
