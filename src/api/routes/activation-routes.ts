import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Catalog } from '../../catalog/catalog.ts';
import type { Consent } from '../../core/event.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { DestinationService } from '../../activate/destination-service.ts';
import { masked } from '../../activate/destination-service.ts';
import type { RealtimeActivation } from '../../activate/realtime-activation.ts';
import { CodeParams } from '../schemas.ts';
import { cookie } from './collect-routes.ts';

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

/** `GET /v1/page/targeting`: public, with the site key: Prebid `ortb2.user.data`, GAM key-values or pixels. */
export function pageTargetingRoute(
  catalog: Catalog,
  realtime: RealtimeActivation,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/page/targeting',
      {
        schema: {
          tags: ['activation'],
          summary:
            "The page's targeting for the visitor: Prebid ortb2.user.data, GAM setTargeting key-values, or pixel URLs",
          security: [],
          querystring: Type.Object({
            site: Type.String(),
            destination: Type.String(),
            uid: Type.Optional(Type.String({ description: 'default: the dmp_uid cookie' })),
            gdpr: Type.Optional(Type.String()),
            gdpr_consent: Type.Optional(Type.String()),
            us_privacy: Type.Optional(Type.String()),
            gpp: Type.Optional(Type.String()),
            gpp_sid: Type.Optional(Type.String()),
          }),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const info = await catalog.siteKeyInfo(q.site);
        if (info === undefined)
          throw new ServiceError(403, 'forbidden', 'the site key is not valid', { field: 'site' });
        const consent: Consent | undefined =
          q.gdpr === undefined &&
          q.gdpr_consent === undefined &&
          q.us_privacy === undefined &&
          q.gpp === undefined
            ? undefined
            : {
                gdpr: q.gdpr === '1' ? 1 : q.gdpr === '0' ? 0 : undefined,
                tcf: q.gdpr_consent,
                usp: q.us_privacy,
                gpp: q.gpp,
                gppSid: q.gpp_sid?.split(',').map(Number).filter(Number.isInteger),
                gpc: request.headers['sec-gpc'] === '1',
              };
        const uid = q.uid ?? cookie(request, 'dmp_uid');
        const answer = await realtime.page(info.tenant, q.destination, uid, consent);
        return reply.header('Cache-Control', 'no-store').send(answer);
      },
    );
  };
}
