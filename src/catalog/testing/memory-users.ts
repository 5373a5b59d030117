import { generateApiKey } from '../api-key.ts';
import { CatalogError } from '../catalog-error.ts';
import { requireText } from '../catalog-context.ts';
import type { User, UserApiKey, UserCredentials, UserStore } from '../user-store.ts';
import { normaliseEmail } from '../user-store.ts';
import type { CatalogState, TenantRows } from './memory-catalog-state.ts';
import { rowsOf } from './memory-catalog-state.ts';
import { compare } from './memory-tenants.ts';

const noUser = (email: string): CatalogError =>
  new CatalogError('not_found', `no user '${email}' in this tenant`);

/**
 * Users in memory: a map per tenant (a `WeakMap` on the tenant's rows) of normal e-mail -> the user with
 * its hash; their API keys are rows of `state.apiKeys` naming the user, as in SQLite. Copies go in and
 * out, so no caller can change what is stored.
 *
 * Example: `await memoryUsers(state).createUser('acme', { email: 'ann@acme.com', role: 'viewer', passwordHash, mustChangePassword: true })`.
 */
export function memoryUsers(state: CatalogState): UserStore {
  const byTenant = new WeakMap<TenantRows, Map<string, UserCredentials>>();
  const usersOf = (rows: TenantRows): Map<string, UserCredentials> => {
    let users = byTenant.get(rows);
    if (users === undefined) byTenant.set(rows, (users = new Map<string, UserCredentials>()));
    return users;
  };
  const find = (tenant: string, email: string): UserCredentials | undefined => {
    const rows = state.tenants.get(tenant);
    return rows === undefined ? undefined : usersOf(rows).get(normaliseEmail(email));
  };
  const publicOf = ({ passwordHash: _hash, ...user }: UserCredentials): User => ({ ...user });
  const keysOf = (tenant: string, email: string) =>
    [...state.apiKeys].filter(([, row]) => row.tenant === tenant && row.user === email);

  return {
    async createUser(tenant, input) {
      const users = usersOf(rowsOf(state, tenant));
      const email = normaliseEmail(input.email);
      requireText('email', email);
      requireText('passwordHash', input.passwordHash);
      if (users.has(email))
        throw new CatalogError('conflict', `user '${email}' already exists in this tenant`);
      const at = state.now();
      const user: UserCredentials = {
        email,
        role: input.role,
        mustChangePassword: input.mustChangePassword,
        createdAt: at,
        updatedAt: at,
        passwordHash: input.passwordHash,
      };
      users.set(email, user);
      return publicOf(user);
    },
    async getUser(tenant, email) {
      const user = find(tenant, email);
      return user && publicOf(user);
    },
    async getUserCredentials(tenant, email) {
      const user = find(tenant, email);
      return user && { ...user };
    },
    async listUsers(tenant) {
      const rows = state.tenants.get(tenant);
      if (rows === undefined) return [];
      return [...usersOf(rows).values()].map(publicOf).sort((a, b) => compare(a.email, b.email));
    },
    async tenantsOfUser(email) {
      const normal = normaliseEmail(email);
      return [...state.tenants.keys()].filter((t) => find(t, normal) !== undefined).sort(compare);
    },
    async updateUser(tenant, email, patch) {
      const user = find(tenant, email);
      if (!user) throw noUser(normaliseEmail(email));
      if (patch.passwordHash !== undefined) requireText('passwordHash', patch.passwordHash);
      user.role = patch.role ?? user.role;
      user.passwordHash = patch.passwordHash ?? user.passwordHash;
      user.mustChangePassword = patch.mustChangePassword ?? user.mustChangePassword;
      user.updatedAt = state.now();
      return publicOf(user);
    },
    async deleteUser(tenant, email) {
      const normal = normaliseEmail(email);
      const rows = state.tenants.get(tenant);
      if (rows === undefined || !usersOf(rows).delete(normal)) throw noUser(normal);
      for (const [id] of keysOf(tenant, normal)) state.apiKeys.delete(id);
    },
    async createUserApiKey(tenant, email) {
      const user = find(tenant, email);
      if (!user) throw noUser(normaliseEmail(email));
      const made = generateApiKey();
      const createdAt = state.now();
      state.apiKeys.set(made.id, {
        tenant,
        secretSha256: made.secretSha256,
        user: user.email,
        lastFour: made.lastFour,
        createdAt,
      });
      return { key: made.key, keyId: made.id, lastFour: made.lastFour, createdAt };
    },
    async listUserApiKeys(tenant, email) {
      return keysOf(tenant, normaliseEmail(email)).map(([keyId, row]): UserApiKey => ({
        keyId,
        lastFour: row.lastFour ?? '',
        createdAt: row.createdAt ?? '',
      }));
    },
    async revokeUserApiKey(tenant, email, keyId) {
      const normal = normaliseEmail(email);
      const row = state.apiKeys.get(keyId);
      if (row === undefined || row.tenant !== tenant || row.user !== normal)
        throw new CatalogError('not_found', `no API key '${keyId}' of user '${normal}'`);
      state.apiKeys.delete(keyId);
    },
  };
}
