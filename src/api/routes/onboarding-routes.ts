import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ServiceError } from '../../core/service-error.ts';
import type { OnboardingService } from '../../onboard/onboarding-service.ts';
import { Description, Name, TEXT_LIMITS } from '../schemas.ts';
import { JobReportAnswer } from '../answers/onboarding-answers.ts';

const FILE_TYPES: Record<string, 'csv' | 'ndjson'> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

const SourceParams = Type.Object({ source: Type.String() });

const TraitsBody = Type.Object(
  {
    traits: Type.Array(
      Type.Object(
        {
          code: Type.String({
            description: 'how rules name it (trait:CODE)',
            examples: ['iab_48'],
            maxLength: TEXT_LIMITS.code,
          }),
          name: Name(),
          kind: Type.Optional(Type.Union([Type.Literal('onboarded'), Type.Literal('third-party')])),
          integrationCode: Type.Optional(
            Type.String({
              description: "the partner's own code, which files may use",
              examples: ['48'],
              maxLength: TEXT_LIMITS.integrationCode,
            }),
          ),
          lifetimeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          folder: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.folder })),
          description: Type.Optional(Description()),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10_000 },
    ),
  },
  { additionalProperties: false },
);

/**
 * File onboarding (ADR 13), with the API key (`request.tenant`):
 * `POST /v1/onboarding/:source/traits` creates the source's onboarded traits;
 * `POST /v1/onboarding/:source?mode=full|delta&idType=uid` takes a CSV (`text/csv`) or NDJSON
 * (`application/x-ndjson`) body as a stream and answers 202 with the job (or, with `?wait=true`, 200 with
 * its report once it has ended); `GET /v1/onboarding/jobs` and `GET /v1/onboarding/jobs/:job` report
 * progress and the row errors.
 *
 * Example: `await api.register(onboardingRoutes(onboarding));`
 */
export function onboardingRoutes(onboarding: OnboardingService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['onboarding'];
    // the file is streamed to disk by the service, never parsed or buffered here
    app.addContentTypeParser(Object.keys(FILE_TYPES), (_request, payload, done) => {
      done(null, payload);
    });
    app.post(
      '/v1/onboarding/:source/traits',
      {
        schema: {
          tags,
          summary: "Create a data source's onboarded traits (no rule: files realise them)",
          params: SourceParams,
          body: TraitsBody,
        },
      },
      async (request, reply) =>
        reply.code(201).send({
          traits: await onboarding.createTraits(
            request.tenant,
            request.params.source,
            request.body.traits,
            request.actor,
          ),
        }),
    );
    app.post(
      '/v1/onboarding/:source',
      {
        schema: {
          tags,
          summary: 'Upload a file of IDs and traits (CSV: id,traits[,idType][,ts]; or NDJSON)',
          description:
            'The body is the file. mode=full: for the IDs in the file, the traits of this source become those of the file, and every other profile loses them; mode=delta: traits are added, and -CODE removes one.',
          params: SourceParams,
          querystring: Type.Object({
            mode: Type.Optional(
              Type.Union([Type.Literal('full'), Type.Literal('delta')], { default: 'delta' }),
            ),
            idType: Type.Optional(
              Type.String({ default: 'uid', description: 'the ID type of rows that name none' }),
            ),
            wait: Type.Optional(Type.Boolean({ default: false })),
          }),
        },
      },
      async (request, reply) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        const format = FILE_TYPES[type];
        if (format === undefined || !isReadable(request.body)) {
          throw new ServiceError(
            415,
            'unsupported_media_type',
            'send the file as the body with content-type text/csv or application/x-ndjson',
            { field: 'content-type' },
          );
        }
        const { report, done } = await onboarding.upload(
          request.tenant,
          request.params.source,
          request.body,
          { mode: request.query.mode ?? 'delta', format, idType: request.query.idType ?? 'uid' },
          request.actor,
        );
        if (request.query.wait === true) return reply.code(200).send(await done);
        return reply.code(202).send(report);
      },
    );
    app.get(
      '/v1/onboarding/jobs',
      {
        schema: {
          tags,
          summary: 'Onboarding jobs, newest first',
          response: { 200: Type.Object({ jobs: Type.Array(JobReportAnswer) }) },
        },
      },
      async (request) => ({
        jobs: await onboarding.list(request.tenant),
      }),
    );
    app.get(
      '/v1/onboarding/jobs/:job',
      {
        schema: {
          tags,
          summary: 'An onboarding job: progress, counts and row errors',
          params: Type.Object({ job: Type.String() }),
          response: { 200: JobReportAnswer },
        },
      },
      async (request) => onboarding.report(request.tenant, request.params.job),
    );
  };
}

function isReadable(body: unknown): body is Readable {
  return typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function';
}
