import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { MatchRates } from '../../identity/match-rate.ts';
import { MATCH_AGE_BUCKETS } from '../../identity/match-rate.ts';
import { CodeParams } from '../schemas.ts';

const MatchRateAnswer = Type.Object({
  partner: Type.String(),
  profiles: Type.Integer({ description: "the tenant's live profiles" }),
  matched: Type.Integer({ description: "profiles holding an ID of the partner's type (its code)" }),
  rate: Type.Number({ description: 'matched / profiles (0 without profiles)' }),
  byAgeDays: Type.Record(Type.String(), Type.Integer(), {
    description: `matched profiles by the age in days of their freshest ID from the partner: ${MATCH_AGE_BUCKETS.map((b) => b.label).join(', ')}`,
  }),
  ageFrom: Type.Union([Type.Literal('learntAt'), Type.Literal('lastSeen')], {
    description:
      "learntAt: each ID's learnt time; lastSeen: the profile's last seen (the store keeps no learnt times)",
  }),
  at: Type.String({ format: 'date-time' }),
});

/**
 * `GET /v1/partners/{code}/match-rate`, with the API key: how many of the tenant's live profiles hold
 * an ID from the ID-sync partner, the rate, and those by the age of the mapping. 404 for an unknown
 * partner.
 *
 * Example: `GET /v1/partners/ssp_a/match-rate` -> `{"partner":"ssp_a","profiles":1000,"matched":420,"rate":0.42,"byAgeDays":{"0-1":40,...},...}`
 */
export function matchRateRoutes(rates: MatchRates): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/partners/:code/match-rate',
      {
        schema: {
          tags: ['identity'],
          summary: "A partner's match rate: profiles holding its ID, and by the mapping's age in days",
          params: CodeParams,
          response: { 200: MatchRateAnswer },
        },
      },
      async (request) => rates.of(request.tenant, request.params.code),
    );
  };
}
