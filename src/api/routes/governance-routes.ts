import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SourceService } from '../../governance/source-service.ts';
import type { AuditReader } from '../../governance/audit-reader.ts';
import { CodeParams, Name } from '../schemas.ts';
import { auditQueryOf } from '../../governance/audit-filters.ts';
import { AuditPage, AuditQueryString } from './audit-schemas.ts';
import { DataSourceAnswer } from '../answers/governance-answers.ts';

const Labels = Type.Array(Type.String(), {
  description:
    'data export controls: no-onsite-targeting, no-offsite-targeting, no-modeling, no-pii-combination, no-third-party-sharing',
});

/** `/v1/sources` (data sources and their labels) and `/v1/audit` (the append-only audit log). */
export function governanceRoutes(sources: SourceService, audit: AuditReader): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['governance'];
    app.get(
      '/v1/sources',
      {
        schema: {
          tags,
          summary: 'List data sources',
          response: { 200: Type.Object({ sources: Type.Array(DataSourceAnswer) }) },
        },
      },
      async (request) => ({
        sources: await sources.list(request.tenant),
      }),
    );
    app.post(
      '/v1/sources',
      {
        schema: {
          tags,
          summary: 'Create a data source',
          body: Type.Object(
            {
              code: Type.String({ pattern: '^[a-z0-9_-]{1,64}$' }),
              name: Name(),
              party: Type.Union([Type.Literal('first'), Type.Literal('second'), Type.Literal('third')]),
              labels: Type.Optional(Labels),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) =>
        reply.code(201).send(await sources.create(request.tenant, request.body, request.actor)),
    );
    app.get(
      '/v1/sources/:code',
      {
        schema: {
          tags,
          summary: 'Read a data source',
          params: CodeParams,
          response: { 200: DataSourceAnswer },
        },
      },
      async (request) => sources.get(request.tenant, request.params.code),
    );
    app.patch(
      '/v1/sources/:code',
      {
        schema: {
          tags,
          summary: 'Change a data source (labels flow to its traits and their segments)',
          params: CodeParams,
          body: Type.Object(
            { name: Type.Optional(Name()), labels: Type.Optional(Labels) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => sources.update(request.tenant, request.params.code, request.body, request.actor),
    );
    app.delete(
      '/v1/sources/:code',
      { schema: { tags, summary: 'Delete a data source', params: CodeParams } },
      async (request, reply) => {
        await sources.remove(request.tenant, request.params.code, request.actor);
        return reply.code(204).send();
      },
    );
    app.get(
      '/v1/audit',
      {
        schema: {
          tags,
          summary: 'The audit log: every configuration change and privacy request (read-only)',
          description:
            'Oldest first by default, paged forward with `after`; `order=desc` gives newest first, paged backwards with `before`. `next` is the cursor of the following page (null: none). Filters combine: `actor` (an email or key id), `action` (exact, or a prefix ending in `*`), `target` (exact), `object` (a code, any kind), `from`/`to` (ISO 8601; from inclusive, to exclusive).',
          querystring: AuditQueryString,
          response: { 200: AuditPage },
        },
      },
      async (request) => audit.page(request.tenant, auditQueryOf(request.query)),
    );
  };
}
