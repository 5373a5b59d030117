import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Dashboard } from '../../governance/dashboard.ts';
import { DASHBOARD_TOP, MAX_DASHBOARD_TOP } from '../../governance/dashboard.ts';
import { leastRoleFor, roleMay } from '../../core/roles.ts';

const DashboardQuery = Type.Object({
  top: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_DASHBOARD_TOP,
      default: DASHBOARD_TOP,
      description: 'how many of the largest segments to list',
    }),
  ),
});

const DashboardAnswer = Type.Object({
  asOf: Type.String({ format: 'date-time' }),
  eventsPerSecond: Type.Number({
    description: 'events accepted over the last minute, per second (2 decimals)',
  }),
  eventsLastMinute: Type.Integer({
    description: 'events accepted over the last minute (this server, since it started)',
  }),
  profiles: Type.Integer({ description: "the tenant's live profiles" }),
  topSegments: Type.Object({
    total: Type.Integer({ description: 'how many segments the tenant has' }),
    sized: Type.Boolean({ description: 'false when the caller lacks the permission compute: no sizes then' }),
    segments: Type.Array(
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        size: Type.Integer({ description: 'exact, now' }),
      }),
      {
        description:
          'the `top` (default 10) largest segments, largest first (ties by code); empty when not sized',
      },
    ),
    detail: Type.Optional(Type.String({ description: 'why there are no sizes' })),
  }),
  recentChanges: Type.Array(
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      user: Type.String({ description: "the user's email, or key:ID for a tenant key, or the actor (cli)" }),
      action: Type.String({ description: 'trait|segment|destination|campaign . create|update|delete' }),
      object: Type.String({ description: "the object's code" }),
    }),
    { description: 'the 10 latest catalog changes, newest first (summaries: the audit log has the details)' },
  ),
});

/**
 * `GET /v1/dashboard`: the console's dashboard of the caller's tenant in one call. Segment sizes are
 * computations: a caller without `compute` gets the list's count and the reason instead of sizes.
 *
 * Example: `GET /v1/dashboard` -> `{"eventsPerSecond":1.5,"eventsLastMinute":90,"profiles":1204,"topSegments":{...},"recentChanges":[...]}`
 */
export function dashboardRoute(dashboard: Dashboard): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/dashboard',
      {
        schema: {
          tags: ['governance'],
          summary: 'The dashboard: events per second, profiles, the largest segments, the latest changes',
          querystring: DashboardQuery,
          response: { 200: DashboardAnswer },
        },
      },
      async (request) => {
        const sizes = roleMay(request.role, 'compute');
        const refusal = `segment sizes need the permission 'compute' (role ${leastRoleFor('compute')} or above); your role is ${request.role}`;
        const top = request.query.top ?? DASHBOARD_TOP;
        return dashboard.of(request.tenant, sizes ? { sizes, top } : { sizes, refusal });
      },
    );
  };
}
