import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Permission } from '../core/roles.ts';
import { leastRoleFor, PERMISSIONS, roleMay } from '../core/roles.ts';
import { ServiceError } from '../core/service-error.ts';

/**
 * The permission each authenticated route needs (`core/roles.ts` says which roles have it), by
 * `METHOD path` as registered. A route added under the API's authentication without a line here stops the
 * server from starting (`guardRoutes`), so no route is left unchecked; `HEAD` is checked as `GET`.
 *
 * Example: `ROUTE_PERMISSIONS['POST /v1/segments']` -> `'edit'`.
 */
export const ROUTE_PERMISSIONS: Readonly<Record<string, Permission>> = {
  // who am I, my password, my keys
  'GET /v1/session': 'self',
  'DELETE /v1/session': 'self',
  'POST /v1/session/password': 'self',
  'GET /v1/users/me/api-keys': 'self',
  'POST /v1/users/me/api-keys': 'self',
  'DELETE /v1/users/me/api-keys/:keyId': 'self',
  // users
  'GET /v1/users': 'manage_users',
  'POST /v1/users': 'manage_users',
  'PATCH /v1/users/:email': 'manage_users',
  'DELETE /v1/users/:email': 'manage_users',
  'GET /v1/users/:email/api-keys': 'manage_users',
  'DELETE /v1/users/:email/api-keys/:keyId': 'manage_users',
  // traits and data sources
  'GET /v1/traits': 'read',
  'POST /v1/traits': 'edit',
  'GET /v1/traits/:code': 'read',
  'PATCH /v1/traits/:code': 'edit',
  'DELETE /v1/traits/:code': 'edit',
  'POST /v1/traits/preview': 'compute',
  'GET /v1/taxonomy': 'read',
  'GET /v1/sources': 'read',
  'POST /v1/sources': 'edit',
  'GET /v1/sources/:code': 'read',
  'PATCH /v1/sources/:code': 'edit',
  'DELETE /v1/sources/:code': 'edit',
  // segments and the audience
  'GET /v1/segments': 'read',
  'POST /v1/segments': 'edit',
  'GET /v1/segments/:code': 'read',
  'PATCH /v1/segments/:code': 'edit',
  'DELETE /v1/segments/:code': 'edit',
  'GET /v1/segments/:code/size': 'compute',
  'GET /v1/segments/:code/trend': 'compute',
  'GET /v1/segments/:code/insights': 'compute',
  'POST /v1/audience/size': 'compute',
  'POST /v1/audience/overlap': 'compute',
  // profiles: look-ups and "why is this visitor in or out"
  'GET /v1/profiles': 'compute',
  'GET /v1/profiles/:uid': 'compute',
  'GET /v1/profiles/:uid/segments': 'compute',
  'GET /v1/profiles/:uid/explain': 'compute',
  'POST /v1/openrtb/enrich': 'compute',
  'POST /v1/consent/decode': 'compute',
  'GET /v1/consent/vendors/:id': 'read',
  // privacy requests
  'DELETE /v1/profiles/:uid': 'manage_privacy',
  'GET /v1/profiles/:uid/export': 'manage_privacy',
  'POST /v1/optouts': 'manage_privacy',
  // keys and identity settings
  'POST /v1/visitor-tokens': 'manage_keys',
  'GET /v1/site-keys': 'read',
  'PUT /v1/site-keys/:key': 'manage_keys',
  'GET /v1/identity/settings': 'read',
  'PUT /v1/identity/settings': 'manage_identity',
  'POST /v1/identity/links': 'edit',
  'GET /v1/audit': 'read_audit',
  // the dashboard: sizes only with compute, the latest changes as summaries
  'GET /v1/dashboard': 'read',
  // partners
  'GET /v1/partners': 'read',
  'POST /v1/partners': 'edit',
  'GET /v1/partners/:code': 'read',
  'PATCH /v1/partners/:code': 'edit',
  'DELETE /v1/partners/:code': 'edit',
  'GET /v1/partners/:code/match-rate': 'compute',
  // activation
  'GET /v1/destinations': 'read',
  'POST /v1/destinations': 'edit',
  'GET /v1/destinations/:code': 'read',
  'PUT /v1/destinations/:code': 'edit',
  'DELETE /v1/destinations/:code': 'edit',
  'POST /v1/destinations/:code/runs': 'edit',
  'GET /v1/destinations/:code/runs': 'read',
  'GET /v1/runs/:runId': 'read',
  'POST /v1/runs/:runId/cancel': 'edit',
  'GET /v1/destinations/:code/dead-letters': 'read',
  'GET /v1/campaigns': 'read',
  'POST /v1/campaigns': 'edit',
  'GET /v1/campaigns/:code': 'read',
  'PUT /v1/campaigns/:code': 'edit',
  'DELETE /v1/campaigns/:code': 'edit',
  'GET /v1/campaigns/:code/report': 'read',
  'POST /v1/campaigns/:code/run': 'edit',
  // onboarding
  'POST /v1/onboarding/:source/traits': 'edit',
  'POST /v1/onboarding/:source': 'edit',
  'GET /v1/onboarding/jobs': 'read',
  'GET /v1/onboarding/jobs/:job': 'read',
};

/** The table's key of a method and route path. Example: `routeKey('HEAD', '/v1/traits')` -> `'GET /v1/traits'`. */
export function routeKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}

/**
 * Makes every route registered in `scope` (after this call) declare its permission: a route with no
 * line in `ROUTE_PERMISSIONS` throws at registration, naming the route and the file to add it to. The
 * permission is also written into the route's OpenAPI description.
 * Example: `guardRoutes(api); await api.register(traitRoutes(traits));`
 */
export function guardRoutes(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const key = routeKey(method, route.url);
      const permission = ROUTE_PERMISSIONS[key];
      if (permission === undefined)
        throw new Error(
          `route ${key} needs a permission: add it to ROUTE_PERMISSIONS in src/api/route-permissions.ts`,
        );
      if (method === 'HEAD' || route.schema === undefined) continue;
      const needs = `Needs the permission \`${permission}\` (role ${leastRoleFor(permission)} or above).`;
      const schema = route.schema as { description?: string };
      schema.description = schema.description === undefined ? needs : `${schema.description}\n\n${needs}`;
    }
  });
}

/**
 * Refuses (403, naming the role, the permission and the least role that has it) a request whose caller's
 * role lacks what its route needs; run after authentication has set `request.role`.
 * Example: `api.addHook('preHandler', async (request) => requirePermission(request))`.
 */
export function requirePermission(request: FastifyRequest): void {
  const key = routeKey(request.method, request.routeOptions.url ?? '');
  const permission = ROUTE_PERMISSIONS[key];
  if (permission === undefined)
    throw new ServiceError(403, 'forbidden', `${key} declares no permission, so nobody may call it`);
  if (roleMay(request.role, permission)) return;
  throw new ServiceError(
    403,
    'forbidden',
    `your role '${request.role}' lacks the permission '${permission}' (${PERMISSIONS[permission]}) that ${key} needs; ` +
      `it takes the role '${leastRoleFor(permission)}' or above: ask an admin of the tenant`,
  );
}
