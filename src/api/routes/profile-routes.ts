import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ProfileService } from '../../profiles/profile-service.ts';
import { ExplainQuery, IdQuery, PageQuery, UidParams } from '../schemas.ts';
import { ExplainAnswer } from '../answers/privacy-answers.ts';

/** `/v1/profiles`: read, look up segments, page through, explain and delete profiles. */
export function profileRoutes(profiles: ProfileService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['profiles'];
    app.get(
      '/v1/profiles',
      {
        schema: {
          tags,
          summary: 'Page through every profile with its IDs and segments',
          querystring: PageQuery,
        },
      },
      async (request) => profiles.list(request.tenant, request.query.cursor, request.query.limit ?? 100),
    );
    app.get(
      '/v1/profiles/:uid',
      { schema: { tags, summary: 'Read a profile', params: UidParams, querystring: IdQuery } },
      async (request) => profiles.get(request.tenant, { uid: request.params.uid, ...request.query }),
    );
    app.get(
      '/v1/profiles/:uid/segments',
      {
        schema: {
          tags,
          summary: 'The segments of a visitor, exact now',
          params: UidParams,
          querystring: IdQuery,
        },
      },
      async (request) => profiles.segments(request.tenant, { uid: request.params.uid, ...request.query }),
    );
    app.get(
      '/v1/profiles/:uid/explain',
      {
        schema: {
          tags,
          summary: 'Why the visitor is (or is not) in a segment, node by node',
          params: UidParams,
          querystring: ExplainQuery,
          response: { 200: ExplainAnswer },
        },
      },
      async (request) => {
        const { segment, ...ids } = request.query;
        return profiles.explain(request.tenant, { uid: request.params.uid, ...ids }, segment);
      },
    );
  };
}
