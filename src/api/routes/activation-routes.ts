import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DestinationService } from '../../activate/destination-service.ts';
import { masked } from '../../activate/destination-service.ts';
import type { RealtimeActivation } from '../../activate/realtime-activation.ts';
import { CodeParams } from '../schemas.ts';

const DestinationBody = Type.Object(
  {},
  { additionalProperties: true, description: 'a destination (see the activation docs)' },
);

/** `/v1/destinations` and `POST /v1/openrtb/enrich`, with the API key. */
export function activationRoutes(
  destinations: DestinationService,
  realtime: RealtimeActivation,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['activation'];
    app.get('/v1/destinations', { schema: { tags, summary: 'List destinations' } }, async (request) => ({
      destinations: (await destinations.list(request.tenant)).map(masked),
    }));
    app.post(
      '/v1/destinations',
      { schema: { tags, summary: 'Create a destination', body: DestinationBody } },
      async (request, reply) =>
        reply.code(201).send(masked(await destinations.save(request.tenant, request.body, request.actor))),
    );
    app.get(
      '/v1/destinations/:code',
      { schema: { tags, summary: 'Read a destination', params: CodeParams } },
      async (request) => masked(await destinations.get(request.tenant, request.params.code)),
    );
    app.put(
      '/v1/destinations/:code',
      { schema: { tags, summary: 'Replace a destination', params: CodeParams, body: DestinationBody } },
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
    app.post(
      '/v1/openrtb/enrich',
      {
        schema: {
          tags,
          summary:
            "Adds the visitor's segments for the destination to user.data of an OpenRTB 2.5/2.6 bid request",
          querystring: Type.Object({ destination: Type.String() }),
          body: Type.Object({}, { additionalProperties: true }),
        },
      },
      async (request, reply) => {
        const { request: enriched, verdict } = await realtime.enrich(
          request.tenant,
          request.query.destination,
          request.body,
        );
        return reply
          .header('X-DMP-Outcome', `${verdict.outcome}; ${encodeURIComponent(verdict.reason)}`)
          .send(enriched);
      },
    );
  };
}
