import type { Role } from '../../core/roles.ts';
import { generateApiKey } from '../api-key.ts';
import { CatalogError } from '../catalog-error.ts';
import { requireText } from '../catalog-context.ts';
import type { User, UserApiKey, UserCredentials, UserStore } from '../user-store.ts';
import { normaliseEmail } from '../user-store.ts';
import type { PgContext, Sql } from './pg-sql.ts';
import { all, changed, conflictAs, one, requireTenantPg } from './pg-sql.ts';

interface Row {
  email: string;
  role: Role;
  password_hash: string;
  must_change_password: boolean;
  created_at: string;
  updated_at: string;
}

const toUser = (r: Row): User => ({
  email: r.email,
  role: r.role,
  mustChangePassword: r.must_change_password,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const noUser = (email: string): CatalogError =>
  new CatalogError('not_found', `no user '${email}' in this tenant`);

const columns = 'email, role, password_hash, must_change_password, created_at, updated_at';
const byEmail = (sql: Sql, tenant: string, email: string) =>
  one<Row>(sql, `SELECT ${columns} FROM users WHERE tenant = $1 AND email = $2`, [tenant, email]);

/**
 * Each tenant's users and their API keys on PostgreSQL; emails are kept in their normal form, passwords
 * only as the hash the caller made. Deleting a user deletes their keys in the same transaction.
 *
 * Example: `await pgUsers(ctx).createUser('acme', { email: 'ann@acme.com', role: 'viewer', passwordHash, mustChangePassword: true })`.
 */
export function pgUsers(ctx: PgContext): UserStore {
  const { pool } = ctx;
  const read = (tenant: string, email: string) => byEmail(pool, tenant, normaliseEmail(email));

  return {
    async createUser(tenant, input) {
      const email = normaliseEmail(input.email);
      const row = await ctx.write(tenant, 'user', async (sql) => {
        await requireTenantPg(sql, tenant);
        requireText('email', email);
        requireText('passwordHash', input.passwordHash);
        const at = ctx.now();
        return conflictAs(`user '${email}' already exists in this tenant`, () =>
          one<Row>(
            sql,
            `INSERT INTO users (tenant, email, role, password_hash, must_change_password, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${columns}`,
            [tenant, email, input.role, input.passwordHash, input.mustChangePassword, at],
          ),
        );
      });
      return toUser(row!);
    },
    async getUser(tenant, email) {
      const row = await read(tenant, email);
      return row && toUser(row);
    },
    async getUserCredentials(tenant, email) {
      const row = await read(tenant, email);
      return row && ({ ...toUser(row), passwordHash: row.password_hash } satisfies UserCredentials);
    },
    async listUsers(tenant) {
      return (
        await all<Row>(pool, `SELECT ${columns} FROM users WHERE tenant = $1 ORDER BY email`, [tenant])
      ).map(toUser);
    },
    async tenantsOfUser(email) {
      const rows = await all<{ tenant: string }>(
        pool,
        'SELECT tenant FROM users WHERE email = $1 ORDER BY tenant',
        [normaliseEmail(email)],
      );
      return rows.map((r) => r.tenant);
    },
    async updateUser(tenant, email, patch) {
      const normal = normaliseEmail(email);
      const row = await ctx.write(tenant, 'user', async (sql) => {
        const old = await one<Row>(
          sql,
          `SELECT ${columns} FROM users WHERE tenant = $1 AND email = $2 FOR UPDATE`,
          [tenant, normal],
        );
        if (!old) throw noUser(normal);
        if (patch.passwordHash !== undefined) requireText('passwordHash', patch.passwordHash);
        return one<Row>(
          sql,
          `UPDATE users SET role = $1, password_hash = $2, must_change_password = $3, updated_at = $4
           WHERE tenant = $5 AND email = $6 RETURNING ${columns}`,
          [
            patch.role ?? old.role,
            patch.passwordHash ?? old.password_hash,
            patch.mustChangePassword ?? old.must_change_password,
            ctx.now(),
            tenant,
            normal,
          ],
        );
      });
      return toUser(row!);
    },
    async deleteUser(tenant, email) {
      const normal = normaliseEmail(email);
      await ctx.write(tenant, 'user', async (sql) => {
        await sql.query('DELETE FROM api_keys WHERE tenant = $1 AND user_email = $2', [tenant, normal]);
        if (
          (await changed(sql, 'DELETE FROM users WHERE tenant = $1 AND email = $2', [tenant, normal])) === 0
        )
          throw noUser(normal);
      });
    },
    async createUserApiKey(tenant, email) {
      const normal = normaliseEmail(email);
      return ctx.write(tenant, 'user', async (sql) => {
        const row = await byEmail(sql, tenant, normal);
        if (!row) throw noUser(normal);
        const made = generateApiKey();
        const at = ctx.now();
        await sql.query(
          'INSERT INTO api_keys (id, tenant, secret_sha256, last_four, user_email, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
          [made.id, tenant, made.secretSha256, made.lastFour, row.email, at],
        );
        return { key: made.key, keyId: made.id, lastFour: made.lastFour, createdAt: at };
      });
    },
    async listUserApiKeys(tenant, email) {
      const rows = await all<{ id: string; last_four: string; created_at: string }>(
        pool,
        'SELECT id, last_four, created_at FROM api_keys WHERE tenant = $1 AND user_email = $2 ORDER BY created_at, seq',
        [tenant, normaliseEmail(email)],
      );
      return rows.map((k): UserApiKey => ({ keyId: k.id, lastFour: k.last_four, createdAt: k.created_at }));
    },
    async revokeUserApiKey(tenant, email, keyId) {
      const normal = normaliseEmail(email);
      await ctx.write(tenant, 'user', async (sql) => {
        const count = await changed(
          sql,
          'DELETE FROM api_keys WHERE tenant = $1 AND user_email = $2 AND id = $3',
          [tenant, normal, keyId],
        );
        if (count === 0) throw new CatalogError('not_found', `no API key '${keyId}' of user '${normal}'`);
      });
    },
  };
}
