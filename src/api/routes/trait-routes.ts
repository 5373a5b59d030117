import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TraitService } from '../../traits/trait-service.ts';
import { CodeParams, TraitBody, TraitPatch } from '../schemas.ts';
import { Type } from 'typebox';
import { TraitAnswer } from '../answers/audience-answers.ts';

/** `/v1/traits`: create, read, change and delete the tenant's traits. */
export function traitRoutes(traits: TraitService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['traits'];
    app.get(
      '/v1/traits',
      {
        schema: {
          tags,
          summary: 'List traits',
          response: { 200: Type.Object({ traits: Type.Array(TraitAnswer) }) },
        },
      },
      async (request) => ({
        traits: await traits.list(request.tenant),
      }),
    );
    app.post(
      '/v1/traits',
      { schema: { tags, summary: 'Create a trait', body: TraitBody, response: { 201: TraitAnswer } } },
      async (request, reply) =>
        reply.code(201).send(await traits.create(request.tenant, request.body, request.actor)),
    );
    app.get(
      '/v1/traits/:code',
      { schema: { tags, summary: 'Read a trait', params: CodeParams, response: { 200: TraitAnswer } } },
      async (request) => traits.get(request.tenant, request.params.code),
    );
    app.patch(
      '/v1/traits/:code',
      {
        schema: {
          tags,
          summary: 'Change a trait (a new rule applies from now on, or to history with backfill)',
          params: CodeParams,
          body: TraitPatch,
          response: { 200: TraitAnswer },
        },
      },
      async (request) => traits.update(request.tenant, request.params.code, request.body, request.actor),
    );
    app.delete(
      '/v1/traits/:code',
      { schema: { tags, summary: 'Delete a trait', params: CodeParams } },
      async (request, reply) => {
        await traits.remove(request.tenant, request.params.code, request.actor);
        return reply.code(204).send();
      },
    );
  };
}
