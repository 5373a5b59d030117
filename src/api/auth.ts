import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyService } from '../governance/api-key-service.ts';
import { ServiceError } from '../core/service-error.ts';
import { AuthFailures } from './auth-failures.ts';
import { KnownKeys } from './known-keys.ts';
import type { Role } from '../core/roles.ts';

/** How long a valid API key's tenant is reused before the key is checked again. */
export const API_KEY_TTL_MS = 1_000;

declare module 'fastify' {
  interface FastifyRequest {
    /** the tenant the request's key belongs to, set by authentication */
    tenant: string;
    /** who is acting, for the audit log: `key:KEYID`, `user:EMAIL` (a session) or `user:EMAIL/key:KEYID` */
    actor: string;
    /** the role the caller acts with (a tenant's own API key: admin) */
    role: Role;
    /** the user acting (by session or by their API key); '' for a tenant's own key */
    user: string;
    /** the session cookie's token when the request is authenticated by a session, else '' */
    sessionToken: string;
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
 * identity is kept for `ttlMs` (`KnownKeys`: no look-up and SHA-256 per request); invalid keys are
 * checked every time, and counted per client address in `failures`: over its limit, the client's
 * requests are answered 429 with `Retry-After` until its minute is over, without looking at the key.
 * Example: `app.addHook('preHandler', requireApiKey(apiKeys, Date.now, API_KEY_TTL_MS, new AuthFailures(20)))`.
 */
export function requireApiKey(
  apiKeys: Pick<ApiKeyService, 'identify'>,
  now: () => number = Date.now,
  ttlMs = API_KEY_TTL_MS,
  failures = new AuthFailures(0),
) {
  const keys = new KnownKeys((key) => apiKeys.identify(key), now, ttlMs);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    refuseWhileBlocked(failures, request, reply);
    const key = bearerToken(request);
    if (key === undefined) {
      throw new ServiceError(401, 'unauthorized', 'send the API key as "Authorization: Bearer KEY"');
    }
    const identity = keys.peek(key) ?? (await keys.get(key));
    if (identity === undefined) {
      failures.fail(request.ip);
      throw new ServiceError(401, 'unauthorized', 'the API key is not valid');
    }
    request.tenant = identity.tenant;
    request.role = identity.role;
    request.user = identity.user ?? '';
    request.actor =
      identity.user === undefined ? `key:${identity.keyId}` : `user:${identity.user}/key:${identity.keyId}`;
  };
}

/**
 * Throws the 429 (with `Retry-After`) a client gets while it is over its failed-attempt limit.
 * Example: `refuseWhileBlocked(failures, request, reply)` before checking any credential.
 */
export function refuseWhileBlocked(
  failures: AuthFailures,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const waitMs = failures.blockedForMs(request.ip);
  if (waitMs <= 0) return;
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  void reply.header('retry-after', String(seconds));
  throw new ServiceError(
    429,
    'rate_limited',
    `too many failed attempts with a wrong key from this address; retry after ${seconds} s`,
  );
}
