import type { FastifyRequest } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import { ServiceError } from '../core/service-error.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** the tenant the request's key belongs to, set by authentication */
    tenant: string;
    /** who is acting, for the audit log: `key:KEYID` */
    actor: string;
  }
}

/** The bearer token of the request, if any. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Authenticates the management API: the tenant's API key as `Authorization: Bearer KEY`.
 * Example: `app.addHook('preHandler', requireApiKey(catalog))`.
 */
export function requireApiKey(catalog: Catalog) {
  return async (request: FastifyRequest): Promise<void> => {
    const key = bearerToken(request);
    if (key === undefined) {
      throw new ServiceError(401, 'unauthorized', 'send the API key as "Authorization: Bearer KEY"');
    }
    const identity = await catalog.authenticateApiKeyId(key);
    if (identity === undefined) throw new ServiceError(401, 'unauthorized', 'the API key is not valid');
    request.tenant = identity.tenant;
    request.actor = `key:${identity.keyId}`;
  };
}
