import type { FastifyRequest } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import { ServiceError } from '../core/service-error.ts';
import { KnownKeys } from './known-keys.ts';

/** How long a valid API key's tenant is reused before the catalog checks the key again. */
export const API_KEY_TTL_MS = 1_000;

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
 * Authenticates the management API: the tenant's API key as `Authorization: Bearer KEY`. A valid key's
 * identity is kept for `ttlMs` (`KnownKeys`: no SQLite query and SHA-256 per request); invalid keys are
 * checked every time.
 * Example: `app.addHook('preHandler', requireApiKey(catalog))`.
 */
export function requireApiKey(
  catalog: Pick<Catalog, 'authenticateApiKeyId'>,
  now: () => number = Date.now,
  ttlMs = API_KEY_TTL_MS,
) {
  const keys = new KnownKeys((key) => catalog.authenticateApiKeyId(key), now, ttlMs);
  return async (request: FastifyRequest): Promise<void> => {
    const key = bearerToken(request);
    if (key === undefined) {
      throw new ServiceError(401, 'unauthorized', 'send the API key as "Authorization: Bearer KEY"');
    }
    const identity = keys.peek(key) ?? (await keys.get(key));
    if (identity === undefined) throw new ServiceError(401, 'unauthorized', 'the API key is not valid');
    request.tenant = identity.tenant;
    request.actor = `key:${identity.keyId}`;
  };
}
