import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { VisitorTokens } from '../../privacy/visitor-tokens.ts';
import { DEFAULT_TOKEN_TTL_S, MAX_TOKEN_TTL_S, MAX_TOKEN_UID_LENGTH } from '../../privacy/visitor-tokens.ts';

/**
 * `POST /v1/visitor-tokens`, with the API key: a signed token for one visitor, for the site's server to
 * put in its page so that the tag can ask the public routes (page targeting, `vt=`) for that visitor when
 * the browser does not send the collector's cookie (its own ID scheme, third-party cookies blocked).
 *
 * Example: `POST /v1/visitor-tokens {"uid": "c-123", "ttlSeconds": 3600}` -> `201 {"token": "v1...", "uid": "c-123", "expiresAt": "..."}`.
 */
export function visitorTokenRoutes(tokens: VisitorTokens): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/visitor-tokens',
      {
        schema: {
          tags: ['privacy'],
          summary: "A signed visitor token for the page's tag (page targeting's vt)",
          description:
            'The token is v1.<uid, base64url>.<expiry, epoch seconds>.<HMAC-SHA256 of tenant, uid and expiry with the server secret>. It is valid for this tenant only, until its expiry; it cannot be revoked earlier.',
          body: Type.Object(
            {
              uid: Type.String({ minLength: 1, maxLength: MAX_TOKEN_UID_LENGTH, description: 'the visitor' }),
              ttlSeconds: Type.Optional(
                Type.Integer({
                  minimum: 1,
                  maximum: MAX_TOKEN_TTL_S,
                  description: `how long the token is valid, in seconds; default ${DEFAULT_TOKEN_TTL_S}`,
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({
              token: Type.String(),
              uid: Type.String(),
              expiresAt: Type.String({ format: 'date-time' }),
            }),
          },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            tokens.issue(request.tenant, request.body.uid, request.body.ttlSeconds ?? DEFAULT_TOKEN_TTL_S),
          ),
    );
  };
}
