import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { TraitPreview } from '../../traits/trait-preview.ts';
import { PREVIEW_BOUNDS } from '../../traits/trait-preview.ts';
import { TEXT_LIMITS } from '../schemas.ts';

const PreviewBody = Type.Object(
  {
    rule: Type.Union([
      Type.String({ description: 'a trait rule in the rule language', maxLength: TEXT_LIMITS.rule }),
      Type.Object({}, { additionalProperties: true, description: 'the rule in its JSON form' }),
    ]),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: PREVIEW_BOUNDS.maxEvents,
        description: `read at most this many of the newest events (default and most: ${PREVIEW_BOUNDS.maxEvents})`,
      }),
    ),
  },
  { additionalProperties: false },
);

const Time = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const PreviewAnswer = Type.Object({
  matched: Type.Integer({ description: 'events read that the rule matches' }),
  scanned: Type.Integer({ description: "the tenant's events read" }),
  from: { ...Time, description: 'when the oldest event read reached the log (null: none read)' },
  to: { ...Time, description: 'when the newest event read reached the log (null: none read)' },
  window: Type.Object({
    maxEvents: Type.Integer({ description: 'at most this many of the newest events were read' }),
    maxAgeHours: Type.Number({ description: 'none older than this (by when it reached the log)' }),
    limitedBy: Type.Union(
      [Type.Literal('events'), Type.Literal('age'), Type.Literal('records'), Type.Literal('none')],
      {
        description: `events: more events than maxEvents were that recent, the newest were read; age: older events were not read; records: only the log's newest ${PREVIEW_BOUNDS.maxRecords} records (all tenants') were read; none: the whole log was read`,
      },
    ),
  }),
});

/**
 * `POST /v1/traits/preview {"rule": "..."}`: how many of the tenant's recent events (the newest 10,000,
 * at most 24 hours old, among the log's newest million records) a trait rule matches, read from the
 * event log. A rule that does not check is the
 * `422` of `POST /v1/traits`, with each error's line, column and did-you-mean.
 *
 * Example: `POST /v1/traits/preview {"rule":"url.path startsWith \"/pricing\""}` ->
 * `{"matched":3,"scanned":7,"from":"...","to":"...","window":{"maxEvents":10000,"maxAgeHours":24,"limitedBy":"none"}}`
 */
export function traitPreviewRoute(preview: TraitPreview): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/traits/preview',
      {
        schema: {
          tags: ['traits'],
          summary: "How many of the tenant's recent events a trait rule matches (nothing is saved)",
          body: PreviewBody,
          response: { 200: PreviewAnswer },
        },
      },
      async (request) => preview.preview(request.tenant, request.body),
    );
  };
}
