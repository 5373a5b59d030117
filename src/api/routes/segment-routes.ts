import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SegmentService } from '../../segments/segment-service.ts';
import { CodeParams, OverlapBody, SegmentBody, SegmentPatch, SizeBody } from '../schemas.ts';
import {
  InsightsAnswer,
  OverlapAnswer,
  SegmentAnswer,
  SizeAnswer,
  TrendAnswer,
} from '../answers/audience-answers.ts';

/** `/v1/segments` and `/v1/audience`: segments, their exact sizes and overlaps. */
export function segmentRoutes(segments: SegmentService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['segments'];
    app.get(
      '/v1/segments',
      {
        schema: {
          tags,
          summary: 'List segments',
          response: { 200: Type.Object({ segments: Type.Array(SegmentAnswer) }) },
        },
      },
      async (request) => ({
        segments: await segments.list(request.tenant),
      }),
    );
    app.post(
      '/v1/segments',
      { schema: { tags, summary: 'Create a segment', body: SegmentBody, response: { 201: SegmentAnswer } } },
      async (request, reply) =>
        reply.code(201).send(await segments.create(request.tenant, request.body, request.actor)),
    );
    app.get(
      '/v1/segments/:code',
      { schema: { tags, summary: 'Read a segment', params: CodeParams, response: { 200: SegmentAnswer } } },
      async (request) => segments.get(request.tenant, request.params.code),
    );
    app.patch(
      '/v1/segments/:code',
      {
        schema: {
          tags,
          summary: 'Change a segment',
          params: CodeParams,
          body: SegmentPatch,
          response: { 200: SegmentAnswer },
        },
      },
      async (request) => segments.update(request.tenant, request.params.code, request.body, request.actor),
    );
    app.delete(
      '/v1/segments/:code',
      { schema: { tags, summary: 'Delete a segment', params: CodeParams } },
      async (request, reply) => {
        await segments.remove(request.tenant, request.params.code, request.actor);
        return reply.code(204).send();
      },
    );
    app.get(
      '/v1/segments/:code/size',
      {
        schema: {
          tags: ['audience'],
          summary: 'Exact size of a segment now',
          params: CodeParams,
          response: { 200: SizeAnswer },
        },
      },
      async (request) => segments.size(request.tenant, request.params.code),
    );
    app.get(
      '/v1/segments/:code/trend',
      {
        schema: {
          tags: ['audience'],
          summary: "The segment's daily size (kept for a year); today's is exact now",
          params: CodeParams,
          querystring: Type.Object({
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })),
          }),
          response: { 200: TrendAnswer },
        },
      },
      async (request) => segments.trend(request.tenant, request.params.code, request.query.days ?? 30),
    );
    app.get(
      '/v1/segments/:code/insights',
      {
        schema: {
          tags: ['audience'],
          summary: 'Traits most over-represented in the segment against the whole population',
          params: CodeParams,
          querystring: Type.Object({
            minCount: Type.Optional(
              Type.Integer({
                minimum: 0,
                maximum: Number.MAX_SAFE_INTEGER,
                default: 20,
                description: 'smaller cells are not shown',
              }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 50 })),
          }),
          response: { 200: InsightsAnswer },
        },
      },
      async (request) =>
        segments.insights(
          request.tenant,
          request.params.code,
          request.query.minCount ?? 20,
          request.query.limit ?? 50,
        ),
    );
    app.post(
      '/v1/audience/size',
      {
        schema: {
          tags: ['audience'],
          summary: 'Exact size of any rule (saved or being edited)',
          body: SizeBody,
          response: { 200: SizeAnswer },
        },
      },
      async (request) => segments.sizeOfRule(request.tenant, request.body.rule),
    );
    app.post(
      '/v1/audience/overlap',
      {
        schema: {
          tags: ['audience'],
          summary: 'Sizes and pairwise overlaps of segments',
          body: OverlapBody,
          response: { 200: OverlapAnswer },
        },
      },
      async (request) => segments.overlap(request.tenant, request.body.segments),
    );
  };
}
