import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES } from '../../core/roles.ts';
import type { UserService } from '../../governance/user-service.ts';
import { requireUser } from './session-routes.ts';

const tags = ['users'];
const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const User = Type.Object({
  email: Type.String(),
  role: Type.String(),
  mustChangePassword: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const ApiKey = Type.Object({ keyId: Type.String(), lastFour: Type.String(), createdAt: Type.String() });
const EmailParams = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) });
const KeyParams = Type.Object({ keyId: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * The tenant's users, for admins (`GET/POST /v1/users`, `PATCH/DELETE /v1/users/{email}`, a user's keys),
 * and every user's own API keys (`/v1/users/me/api-keys`), which act with the user's role. A new user's
 * one-time password and a new key are shown only in the answer that made them.
 *
 * Example: `POST /v1/users {"email": "ann@acme.com", "role": "editor"}` -> 201 `{"email", "role", "password"}`.
 */
export function userRoutes(users: UserService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/users',
      {
        schema: {
          tags,
          summary: "The tenant's users and their roles",
          response: { 200: Type.Object({ users: Type.Array(User) }) },
        },
      },
      async (request) => ({ users: await users.list(request.tenant) }),
    );
    app.post(
      '/v1/users',
      {
        schema: {
          tags,
          summary: 'Add a user; answers the one-time password, shown only here',
          body: Type.Object(
            { email: Type.String({ minLength: 3, maxLength: 254 }), role: Role },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ email: Type.String(), role: Type.String(), password: Type.String() }),
          },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await users.add(request.tenant, request.body.email, request.body.role, request.actor)),
    );
    app.patch(
      '/v1/users/:email',
      {
        schema: {
          tags,
          summary: "Change a user's role",
          params: EmailParams,
          body: Type.Object({ role: Role }, { additionalProperties: false }),
          response: { 200: User },
        },
      },
      async (request) =>
        users.setRole(request.tenant, request.params.email, request.body.role, request.actor),
    );
    app.delete(
      '/v1/users/:email',
      { schema: { tags, summary: 'Remove a user, their sessions and API keys', params: EmailParams } },
      async (request, reply) => {
        await users.remove(request.tenant, request.params.email, request.actor);
        return reply.code(204).send();
      },
    );
    app.get(
      '/v1/users/:email/api-keys',
      {
        schema: {
          tags,
          summary: "A user's API keys (never the secrets)",
          params: EmailParams,
          response: { 200: Type.Object({ apiKeys: Type.Array(ApiKey) }) },
        },
      },
      async (request) => {
        await users.get(request.tenant, request.params.email);
        return { apiKeys: await users.listKeys(request.tenant, request.params.email) };
      },
    );
    app.delete(
      '/v1/users/:email/api-keys/:keyId',
      {
        schema: {
          tags,
          summary: "Revoke a user's API key",
          params: Type.Intersect([EmailParams, KeyParams]),
        },
      },
      async (request, reply) => {
        await users.revokeKey(request.tenant, request.params.email, request.params.keyId, request.actor);
        return reply.code(204).send();
      },
    );
    app.get(
      '/v1/users/me/api-keys',
      {
        schema: {
          tags,
          summary: 'Your API keys (never the secrets)',
          response: { 200: Type.Object({ apiKeys: Type.Array(ApiKey) }) },
        },
      },
      async (request) => {
        requireUser(request);
        return { apiKeys: await users.listKeys(request.tenant, request.user) };
      },
    );
    app.post(
      '/v1/users/me/api-keys',
      {
        schema: {
          tags,
          summary: 'Make an API key that acts with your role; the key is shown only here',
          response: {
            201: Type.Object({
              key: Type.String(),
              keyId: Type.String(),
              lastFour: Type.String(),
              createdAt: Type.String(),
            }),
          },
        },
      },
      async (request, reply) => {
        requireUser(request);
        return reply.code(201).send(await users.createKey(request.tenant, request.user, request.actor));
      },
    );
    app.delete(
      '/v1/users/me/api-keys/:keyId',
      { schema: { tags, summary: 'Revoke one of your API keys', params: KeyParams } },
      async (request, reply) => {
        requireUser(request);
        await users.revokeKey(request.tenant, request.user, request.params.keyId, request.actor);
        return reply.code(204).send();
      },
    );
  };
}
