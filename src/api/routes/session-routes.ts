import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ServiceError } from '../../core/service-error.ts';
import type { UserService } from '../../governance/user-service.ts';
import { MAX_PASSWORD_LENGTH } from '../../governance/passwords.ts';
import { AuthFailures } from '../auth-failures.ts';
import { refuseWhileBlocked } from '../auth.ts';
import { sessionCookie, sessionCookies } from '../session-auth.ts';

const tags = ['users'];
const Password = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH });
const SessionAnswer = Type.Object({
  email: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  tenant: Type.String(),
  mustChangePassword: Type.Boolean(),
  csrfToken: Type.Optional(Type.String()),
});

/** Failed logins allowed per client address and per account in a minute (then 429 until it ends). */
export const LOGIN_FAILURES_PER_MINUTE = 10;

/**
 * `POST /v1/session`: the console's login, the one `/v1` route that takes no credential. Right email and
 * password: a session cookie (`sessionCookies`) and the CSRF token the console sends back on every
 * change. Failed logins are counted per client address and per account (`AuthFailures`): over
 * `perMinute`, 429 with `Retry-After`, the right password too, until the minute ends.
 *
 * Example: `POST /v1/session {"email": "ann@acme.com", "password": "..."}` -> 200 `{email, role, tenant, mustChangePassword, csrfToken}`.
 */
export function sessionLoginRoute(
  users: UserService,
  perMinute = LOGIN_FAILURES_PER_MINUTE,
): FastifyPluginAsyncTypebox {
  const byClient = new AuthFailures(perMinute);
  const byAccount = new AuthFailures(perMinute);
  return async (app) => {
    app.post(
      '/v1/session',
      {
        schema: {
          tags,
          summary: 'Log in to the console: sets the session cookie and answers the CSRF token',
          security: [],
          body: Type.Object(
            {
              email: Type.String({ minLength: 1, maxLength: 254 }),
              password: Password,
              tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: SessionAnswer },
        },
      },
      async (request, reply) => {
        const { email, password, tenant } = request.body;
        const account = `account ${tenant ?? ''} ${email.trim().toLowerCase()}`;
        refuseWhileBlocked(byClient, request, reply);
        const wait = byAccount.blockedForMs(account);
        if (wait > 0) {
          void reply.header('retry-after', String(Math.max(1, Math.ceil(wait / 1000))));
          throw new ServiceError(
            429,
            'rate_limited',
            'too many failed logins for this account; retry in a minute',
          );
        }
        try {
          const { token, session, user } = await users.login(email, password, tenant);
          const maxAgeS = Math.max(1, Math.floor((session.expiresAt - Date.now()) / 1000));
          void reply.header('set-cookie', sessionCookies(token, request.protocol === 'https', maxAgeS));
          void reply.header('cache-control', 'no-store');
          return {
            email: user.email,
            role: user.role,
            tenant: session.tenant,
            mustChangePassword: user.mustChangePassword,
            csrfToken: session.csrfToken,
          };
        } catch (error) {
          if (error instanceof ServiceError && error.status === 401) {
            byClient.fail(request.ip);
            byAccount.fail(account);
          }
          throw error;
        }
      },
    );
  };
}

/**
 * `GET /v1/session` (who am I; also for an API key), `DELETE /v1/session` (log out) and
 * `POST /v1/session/password` (change your password: needs the current one, clears `mustChangePassword`,
 * ends your other sessions). Registered behind authentication.
 *
 * Example: `POST /v1/session/password {"current": "q3J9x-0aZ_kLm2P4rT7w", "new": "a long new secret"}` -> the session.
 */
export function sessionRoutes(users: UserService): FastifyPluginAsyncTypebox {
  const answer = async (request: FastifyRequest) => {
    const session = users.sessions.get(request.sessionToken || undefined);
    const user = request.user === '' ? undefined : await users.get(request.tenant, request.user);
    return {
      email: user?.email ?? null,
      role: request.role,
      tenant: request.tenant,
      mustChangePassword: user?.mustChangePassword ?? false,
      ...(session === undefined ? {} : { csrfToken: session.csrfToken }),
    };
  };
  return async (app) => {
    app.get(
      '/v1/session',
      {
        schema: {
          tags,
          summary: 'Who is calling: the user, role and tenant',
          response: { 200: SessionAnswer },
        },
      },
      async (request) => answer(request),
    );
    app.delete(
      '/v1/session',
      { schema: { tags, summary: 'Log out: ends the session and clears its cookie' } },
      async (request: FastifyRequest, reply: FastifyReply) => {
        users.logout(sessionCookie(request));
        void reply.header('set-cookie', sessionCookies('', request.protocol === 'https', 0));
        return reply.code(204).send();
      },
    );
    app.post(
      '/v1/session/password',
      {
        schema: {
          tags,
          summary: 'Change your password (at least 12 characters); clears mustChangePassword',
          body: Type.Object({ current: Password, new: Password }, { additionalProperties: false }),
          response: { 200: SessionAnswer },
        },
      },
      async (request) => {
        requireUser(request);
        await users.changePassword(
          request.tenant,
          request.user,
          request.body.current,
          request.body.new,
          request.actor,
          request.sessionToken || undefined,
        );
        return answer(request);
      },
    );
  };
}

/**
 * Throws 400 unless a user is calling (a session or a user's key): a tenant's own key has no user.
 * Example: `requireUser(request)` before acting on `request.user`.
 */
export function requireUser(request: FastifyRequest): void {
  if (request.user === '')
    throw new ServiceError(
      400,
      'no_user',
      "a tenant's own API key has no user: log in (POST /v1/session) or use a user's API key",
    );
}
