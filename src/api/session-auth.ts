import type { FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../core/service-error.ts';
import type { UserService } from '../governance/user-service.ts';
import { csrfMatches } from '../governance/sessions.ts';

/** The console's session cookie. */
export const SESSION_COOKIE = 'dmp_session';
/** Beside it, a cookie the console's script may read that says only "a session was opened here". */
export const SIGNED_IN_COOKIE = 'dmp_signed_in';

/** What a user whose password must change may still do (`METHOD path`). */
const WHILE_PASSWORD_MUST_CHANGE = new Set([
  'GET /v1/session',
  'DELETE /v1/session',
  'POST /v1/session/password',
]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The value of the session cookie, if the request has one.
 * Example: `sessionCookie(request)` -> `'Zk3...'` for `Cookie: a=1; dmp_session=Zk3...`.
 */
export function sessionCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * The `Set-Cookie` value of a session: `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's
 * page sends it), `Path=/`, and `Secure` when the request came over HTTPS (as the trusted proxy says).
 * An empty token with `maxAgeS` 0 clears it.
 * Example: `sessionCookieHeader('Zk3', true, 43200)` -> `'dmp_session=Zk3; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure'`.
 */
export function sessionCookieHeader(token: string, secure: boolean, maxAgeS: number): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeS}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * The `Set-Cookie` values of a login (`token` set) or a logout (`token` empty, `maxAgeS` 0): the session
 * cookie, then `dmp_signed_in=1` with the same lifetime and without `HttpOnly`. It holds no secret; the
 * console reads it to skip asking `GET /v1/session` (a 401, logged by the browser as an error) when no
 * session was ever opened in this browser.
 * Example: `sessionCookies('Zk3', false, 60)` -> `['dmp_session=Zk3; Path=/; HttpOnly; ...', 'dmp_signed_in=1; Path=/; SameSite=Strict; Max-Age=60']`.
 */
export function sessionCookies(token: string, secure: boolean, maxAgeS: number): string[] {
  const hint = [
    `${SIGNED_IN_COOKIE}=${token === '' ? '' : '1'}`,
    'Path=/',
    'SameSite=Strict',
    `Max-Age=${maxAgeS}`,
  ];
  if (secure) hint.push('Secure');
  return [sessionCookieHeader(token, secure, maxAgeS), hint.join('; ')];
}

/**
 * Authenticates a request by its session cookie: sets the tenant, the user, their role (as stored now) and
 * `user:EMAIL` as the actor for the audit log. A state-changing request must carry the session's CSRF
 * token as `X-CSRF-Token` (403 `csrf_failed`), and a user whose one-time password must change may only
 * change it (403 `password_change_required`).
 * Example: `await requireSession(users)(request, reply)`.
 */
export function requireSession(users: Pick<UserService, 'sessionOf'>) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = sessionCookie(request);
    const found = await users.sessionOf(token);
    if (found === undefined)
      throw new ServiceError(
        401,
        'unauthorized',
        'the session has ended or is not valid; log in again (POST /v1/session)',
      );
    const { session, user } = found;
    if (!SAFE_METHODS.has(request.method) && !csrfMatches(session, request.headers['x-csrf-token']))
      throw new ServiceError(
        403,
        'csrf_failed',
        'a change made with the session cookie needs the header X-CSRF-Token with the csrfToken of POST /v1/session',
      );
    const key = `${request.method} ${request.routeOptions.url ?? ''}`;
    if (user.mustChangePassword && !WHILE_PASSWORD_MUST_CHANGE.has(key))
      throw new ServiceError(
        403,
        'password_change_required',
        'change the one-time password first: POST /v1/session/password {"current", "new"}',
      );
    request.tenant = session.tenant;
    request.user = user.email;
    request.role = user.role;
    request.actor = `user:${user.email}`;
    request.sessionToken = token ?? '';
  };
}
