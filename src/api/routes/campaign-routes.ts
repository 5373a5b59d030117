import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CampaignDelivery } from '../../activate/campaigns/campaign-delivery.ts';
import type { CampaignService } from '../../activate/campaigns/campaign-service.ts';
import { CodeParams } from '../schemas.ts';
import { CampaignAnswer, CampaignReportAnswer, CampaignRunsAnswer } from '../answers/activation-answers.ts';

const CampaignBody = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'a campaign: { code, name, segments: [segment codes], destinations: [destination codes], ' +
      'start, end (ISO 8601 date-times with a time zone), description? }',
  },
);

/**
 * `/v1/campaigns` (list, create), `/v1/campaigns/:code` (read, replace, delete), the delivery report
 * `GET /v1/campaigns/:code/report` and `POST /v1/campaigns/:code/run`, with the API key.
 *
 * Example: `await api.register(campaignRoutes(campaigns, delivery));`
 */
export function campaignRoutes(
  campaigns: CampaignService,
  delivery: CampaignDelivery,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['activation'];
    app.get(
      '/v1/campaigns',
      {
        schema: {
          tags,
          summary: 'List campaigns',
          response: { 200: Type.Object({ campaigns: Type.Array(CampaignAnswer) }) },
        },
      },
      async (request) => ({
        campaigns: await campaigns.list(request.tenant),
      }),
    );
    app.post(
      '/v1/campaigns',
      {
        schema: { tags, summary: 'Create a campaign', body: CampaignBody, response: { 201: CampaignAnswer } },
      },
      async (request, reply) =>
        reply.code(201).send(await campaigns.create(request.tenant, request.body, request.actor)),
    );
    app.get(
      '/v1/campaigns/:code',
      { schema: { tags, summary: 'Read a campaign', params: CodeParams, response: { 200: CampaignAnswer } } },
      async (request) => campaigns.get(request.tenant, request.params.code),
    );
    app.put(
      '/v1/campaigns/:code',
      {
        schema: {
          tags,
          summary: 'Replace a campaign',
          params: CodeParams,
          body: CampaignBody,
          response: { 200: CampaignAnswer },
        },
      },
      async (request) => campaigns.update(request.tenant, request.params.code, request.body, request.actor),
    );
    app.delete(
      '/v1/campaigns/:code',
      { schema: { tags, summary: 'Delete a campaign', params: CodeParams } },
      async (request, reply) => {
        await campaigns.remove(request.tenant, request.params.code, request.actor);
        delivery.forget(request.tenant, request.params.code);
        return reply.code(204).send();
      },
    );
    app.get(
      '/v1/campaigns/:code/report',
      {
        schema: {
          tags,
          summary:
            'Delivery per destination: real-time funnel, batch runs (funnels summed) and both together',
          params: CodeParams,
          response: { 200: CampaignReportAnswer },
        },
      },
      async (request) => delivery.report(request.tenant, request.params.code),
    );
    app.post(
      '/v1/campaigns/:code/run',
      {
        schema: {
          tags,
          summary: 'Starts a batch run for each batch destination of the campaign (only in flight)',
          params: CodeParams,
          response: { 202: CampaignRunsAnswer },
        },
      },
      async (request, reply) =>
        reply.code(202).send(await delivery.run(request.tenant, request.params.code, request.actor)),
    );
  };
}
