import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { BatchRunner } from '../../activate/runs/batch-runner.ts';
import type { RunHistory } from '../../activate/runs/run-history.ts';
import { CodeParams } from '../schemas.ts';
import { RunAnswer } from '../answers/activation-answers.ts';

const Limit = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
});

const RunBody = Type.Object(
  {
    mode: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('delta')])),
    runId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._:-]{1,128}$' })),
  },
  { additionalProperties: false },
);

/**
 * Batch runs of http and file destinations, with the API key (`request.tenant`):
 * `POST /v1/destinations/:code/runs` starts a run and answers 202 with it (`running`) at once, or, with
 * `?wait=true`, 200 with the run once it has ended; 409 `run_in_progress` while the destination runs.
 * `GET /v1/destinations/:code/runs?limit=` (newest first, with counts and funnel), `GET /v1/runs/:runId`,
 * `POST /v1/runs/:runId/cancel` (200 with the run as it ended), `GET /v1/destinations/:code/dead-letters?limit=`.
 *
 * Example: `await api.register(runRoutes(runner, runHistory));`
 */
export function runRoutes(runner: BatchRunner, history: RunHistory): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['activation'];
    app.post(
      '/v1/destinations/:code/runs',
      {
        schema: {
          tags,
          summary: 'Start a batch run of an http or file destination',
          params: CodeParams,
          querystring: Type.Object({ wait: Type.Optional(Type.Boolean({ default: false })) }),
          body: Type.Optional(RunBody),
          response: { 200: RunAnswer, 202: RunAnswer },
        },
      },
      async (request, reply) => {
        const body = request.body ?? {};
        const started = await runner.start(request.tenant, request.params.code, {
          ...(body.mode === undefined ? {} : { mode: body.mode }),
          ...(body.runId === undefined ? {} : { runId: body.runId }),
        });
        if (request.query.wait === true) return reply.code(200).send(await started.done);
        return reply.code(202).send(started.run);
      },
    );
    app.get(
      '/v1/destinations/:code/runs',
      {
        schema: {
          tags,
          summary: 'Runs of a destination, newest first',
          params: CodeParams,
          querystring: Limit,
          response: { 200: Type.Object({ runs: Type.Array(RunAnswer) }) },
        },
      },
      async (request) => ({
        runs: await history.runs(request.tenant, request.params.code, request.query.limit ?? 50),
      }),
    );
    app.get(
      '/v1/runs/:runId',
      {
        schema: {
          tags,
          summary: 'One run, with its report',
          params: Type.Object({ runId: Type.String() }),
          response: { 200: RunAnswer },
        },
      },
      async (request) => history.run(request.tenant, request.params.runId),
    );
    app.post(
      '/v1/runs/:runId/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel a run',
          description:
            'Stops a run in progress (or waiting for its turn) and answers with it as it ended: `cancelled`, ' +
            'with `report.cancelled` saying why (or how it ended, if it ended first). Batches already ' +
            'acknowledged stay with the partner; the next delta run is based on the last good run, so it ' +
            'sends again what the cancelled run had not finished. 409 `run_ended` for a run that has ended. ' +
            'Deleting a destination cancels its runs the same way.',
          params: Type.Object({ runId: Type.String() }),
          response: { 200: RunAnswer },
        },
      },
      async (request) => runner.cancel(request.tenant, request.params.runId),
    );
    app.get(
      '/v1/destinations/:code/dead-letters',
      {
        schema: {
          tags,
          summary: 'Batches the partner never acknowledged, newest first',
          params: CodeParams,
          querystring: Limit,
        },
      },
      async (request) => ({
        deadLetters: await history.deadLetters(
          request.tenant,
          request.params.code,
          request.query.limit ?? 50,
        ),
      }),
    );
  };
}
