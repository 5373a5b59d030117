import type { Role } from '../core/roles.ts';
import { generateApiKey } from './api-key.ts';
import { CatalogError } from './catalog-error.ts';
import type { CatalogContext } from './catalog-context.ts';
import { isUniqueViolation, requireTenant, requireText } from './catalog-context.ts';
import type { User, UserApiKey, UserCredentials, UserStore } from './user-store.ts';
import { normaliseEmail } from './user-store.ts';

interface Row {
  email: string;
  role: Role;
  password_hash: string;
  must_change_password: number;
  created_at: string;
  updated_at: string;
}

const toUser = (r: Row): User => ({
  email: r.email,
  role: r.role,
  mustChangePassword: r.must_change_password === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const noUser = (email: string): CatalogError =>
  new CatalogError('not_found', `no user '${email}' in this tenant`);

/**
 * Users on SQLite: one row per (tenant, email) in `users`; their API keys are rows of `api_keys` with
 * `user_email` set, deleted with the user in one transaction.
 *
 * Example: `await sqliteUsers(ctx).createUser('acme', { email: 'ann@acme.com', role: 'viewer', passwordHash, mustChangePassword: true })`.
 */
export function sqliteUsers(ctx: CatalogContext): UserStore {
  const { db } = ctx;
  const columns = 'email, role, password_hash, must_change_password, created_at, updated_at';
  const one = db.prepare<[string, string], Row>(
    `SELECT ${columns} FROM users WHERE tenant = ? AND email = ?`,
  );
  const all = db.prepare<[string], Row>(`SELECT ${columns} FROM users WHERE tenant = ? ORDER BY email`);
  const tenantsOf = db.prepare<[string], { tenant: string }>(
    'SELECT tenant FROM users WHERE email = ? ORDER BY tenant',
  );
  const insert = db.prepare<[string, string, string, string, number, string, string]>(
    'INSERT INTO users (tenant, email, role, password_hash, must_change_password, created_at, updated_at) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[string, string, number, string, string, string]>(
    'UPDATE users SET role = ?, password_hash = ?, must_change_password = ?, updated_at = ? ' +
      'WHERE tenant = ? AND email = ?',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM users WHERE tenant = ? AND email = ?');
  const removeKeys = db.prepare<[string, string]>('DELETE FROM api_keys WHERE tenant = ? AND user_email = ?');
  const insertKey = db.prepare<[string, string, Buffer, string, string, string]>(
    'INSERT INTO api_keys (id, tenant, secret_sha256, last_four, user_email, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const keysOf = db.prepare<[string, string], { id: string; last_four: string; created_at: string }>(
    'SELECT id, last_four, created_at FROM api_keys WHERE tenant = ? AND user_email = ? ORDER BY created_at, rowid',
  );
  const removeKey = db.prepare<[string, string, string]>(
    'DELETE FROM api_keys WHERE tenant = ? AND user_email = ? AND id = ?',
  );
  const deleteUser = db.transaction((tenant: string, email: string): number => {
    removeKeys.run(tenant, email);
    return remove.run(tenant, email).changes;
  });
  const read = (tenant: string, email: string): Row | undefined => one.get(tenant, normaliseEmail(email));

  return {
    async createUser(tenant, input) {
      requireTenant(ctx, tenant);
      const email = normaliseEmail(input.email);
      requireText('email', email);
      requireText('passwordHash', input.passwordHash);
      const at = ctx.now();
      try {
        insert.run(tenant, email, input.role, input.passwordHash, input.mustChangePassword ? 1 : 0, at, at);
      } catch (error) {
        if (isUniqueViolation(error) || isPrimaryKeyViolation(error))
          throw new CatalogError('conflict', `user '${email}' already exists in this tenant`);
        throw error;
      }
      return toUser(one.get(tenant, email)!);
    },
    async getUser(tenant, email) {
      const row = read(tenant, email);
      return row && toUser(row);
    },
    async getUserCredentials(tenant, email) {
      const row = read(tenant, email);
      return row && ({ ...toUser(row), passwordHash: row.password_hash } satisfies UserCredentials);
    },
    async listUsers(tenant) {
      return all.all(tenant).map(toUser);
    },
    async tenantsOfUser(email) {
      return tenantsOf.all(normaliseEmail(email)).map((r) => r.tenant);
    },
    async updateUser(tenant, email, patch) {
      const row = read(tenant, email);
      if (!row) throw noUser(normaliseEmail(email));
      if (patch.passwordHash !== undefined) requireText('passwordHash', patch.passwordHash);
      update.run(
        patch.role ?? row.role,
        patch.passwordHash ?? row.password_hash,
        (patch.mustChangePassword ?? row.must_change_password === 1) ? 1 : 0,
        ctx.now(),
        tenant,
        row.email,
      );
      return toUser(one.get(tenant, row.email)!);
    },
    async deleteUser(tenant, email) {
      const normal = normaliseEmail(email);
      if (deleteUser(tenant, normal) === 0) throw noUser(normal);
    },
    async createUserApiKey(tenant, email) {
      const row = read(tenant, email);
      if (!row) throw noUser(normaliseEmail(email));
      const made = generateApiKey();
      const at = ctx.now();
      insertKey.run(made.id, tenant, made.secretSha256, made.lastFour, row.email, at);
      return { key: made.key, keyId: made.id, lastFour: made.lastFour, createdAt: at };
    },
    async listUserApiKeys(tenant, email) {
      return keysOf
        .all(tenant, normaliseEmail(email))
        .map((k): UserApiKey => ({ keyId: k.id, lastFour: k.last_four, createdAt: k.created_at }));
    },
    async revokeUserApiKey(tenant, email, keyId) {
      const normal = normaliseEmail(email);
      if (removeKey.run(tenant, normal, keyId).changes === 0)
        throw new CatalogError('not_found', `no API key '${keyId}' of user '${normal}'`);
    },
  };
}

function isPrimaryKeyViolation(error: unknown): boolean {
  return (
    error instanceof Error && (error as Error & { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
