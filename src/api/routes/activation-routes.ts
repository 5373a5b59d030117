import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DestinationService } from '../../activate/destination-service.ts';
import { masked } from '../../activate/destination-service.ts';
import { CodeParams } from '../schemas.ts';
import { DestinationAnswer } from '../answers/activation-answers.ts';

const DestinationBody = Type.Object(
  {},
  { additionalProperties: true, description: 'a destination (see the activation docs)' },
);

/** `/v1/destinations`, with the API key (`POST /v1/openrtb/enrich` is `enrich-route.ts`). */
export function activationRoutes(destinations: DestinationService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['activation'];
    app.get(
      '/v1/destinations',
      {
        schema: {
          tags,
          summary: 'List destinations',
          response: { 200: Type.Object({ destinations: Type.Array(DestinationAnswer) }) },
        },
      },
      async (request) => ({
        destinations: (await destinations.list(request.tenant)).map(masked),
      }),
    );
    app.post(
      '/v1/destinations',
      {
        schema: {
          tags,
          summary: 'Create a destination',
          body: DestinationBody,
          response: { 201: DestinationAnswer },
        },
      },
      async (request, reply) =>
        reply.code(201).send(masked(await destinations.save(request.tenant, request.body, request.actor))),
    );
    app.get(
      '/v1/destinations/:code',
      {
        schema: {
          tags,
          summary: 'Read a destination',
          params: CodeParams,
          response: { 200: DestinationAnswer },
        },
      },
      async (request) => masked(await destinations.get(request.tenant, request.params.code)),
    );
    app.put(
      '/v1/destinations/:code',
      {
        schema: {
          tags,
          summary: 'Replace a destination',
          params: CodeParams,
          body: DestinationBody,
          response: { 200: DestinationAnswer },
        },
      },
      async (request) =>
        masked(await destinations.save(request.tenant, request.body, request.actor, request.params.code)),
    );
    app.delete(
      '/v1/destinations/:code',
      { schema: { tags, summary: 'Delete a destination', params: CodeParams } },
      async (request, reply) => {
        await destinations.remove(request.tenant, request.params.code, request.actor);
        return reply.code(204).send();
      },
    );
  };
}
