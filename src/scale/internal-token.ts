import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the deployment's internal token on a front's call to a worker's own routes. */
export const INTERNAL_TOKEN_HEADER = 'x-dmp-internal';

/**
 * The token a front shows a worker for the routes that are not the public API (an opt-out carried out
 * for a visitor the front cannot see): an HMAC of the deployment's server secret, which every process
 * of a scaled-out deployment shares (DMP_SERVER_SECRET), so no one without it can call them.
 *
 * Example: `headers[INTERNAL_TOKEN_HEADER] = internalToken(config.serverSecret)`
 */
export function internalToken(secret: string): string {
  return createHmac('sha256', secret).update('opendmp internal v1').digest('base64url');
}

/**
 * Whether `shown` is the deployment's internal token (compared in constant time).
 * Example: `if (!isInternalToken(request.headers[INTERNAL_TOKEN_HEADER], secret)) reply.code(403)`
 */
export function isInternalToken(shown: unknown, secret: string): boolean {
  if (typeof shown !== 'string') return false;
  const want = Buffer.from(internalToken(secret));
  const got = Buffer.from(shown);
  return got.length === want.length && timingSafeEqual(got, want);
}
