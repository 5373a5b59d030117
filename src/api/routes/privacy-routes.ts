import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PrivacyService } from '../../privacy/privacy-service.ts';
import { IdQuery, UidParams } from '../schemas.ts';
import { DeletionReceiptAnswer, OptOutAnswer, VisitorExportAnswer } from '../answers/privacy-answers.ts';

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
          response: { 200: DeletionReceiptAnswer },
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
          response: { 200: VisitorExportAnswer },
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
          response: { 201: OptOutAnswer },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await privacy.optOut(request.tenant, request.body.idType, request.body.id, request.actor)),
    );
  };
}
