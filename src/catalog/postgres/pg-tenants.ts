import { randomBytes } from 'node:crypto';
import type { ApiKeyIdentity, CreatedTenant, Tenant, TenantStore } from '../tenant-store.ts';
import { generateApiKey, generateSiteKey, parseApiKey, secretMatches } from '../api-key.ts';
import { requireText } from '../catalog-context.ts';
import { tenantIdCandidates } from '../tenant-id.ts';
import { insertDefaultDataSources } from './pg-data-sources.ts';
import type { PgContext } from './pg-sql.ts';
import { all, inTransaction, isUniqueViolationPg, notify, one } from './pg-sql.ts';

interface TenantRow {
  id: string;
  name: string;
  created_at: string;
}

// Compared against when the key ID is unknown, so that a miss costs the same as a wrong secret.
const noSecret = Buffer.alloc(32);

/**
 * Tenants and API keys on PostgreSQL, as `sqliteTenants` keeps them: a new tenant also gets, in the same
 * transaction, a site key allowing any origin, the three default data sources and its visitor key. Two
 * processes creating the same name get two tenants (the later one's ID with a random suffix).
 *
 * Example:
 * ```ts
 * const { tenant, apiKey } = await pgTenants(ctx).createTenant('acme'); // tenant === 'acme'
 * ```
 */
export function pgTenants(ctx: PgContext): TenantStore {
  const { pool } = ctx;
  const identify = async (key: string): Promise<ApiKeyIdentity | undefined> => {
    const parts = parseApiKey(key);
    if (!parts) return undefined;
    const row = await one<{ tenant: string; secret_sha256: Buffer; user_email: string | null }>(
      pool,
      'SELECT tenant, secret_sha256, user_email FROM api_keys WHERE id = $1',
      [parts.id],
    );
    const matches = secretMatches(parts.secret, row?.secret_sha256 ?? noSecret);
    if (!row || !matches) return undefined;
    return row.user_email === null
      ? { tenant: row.tenant, keyId: parts.id }
      : { tenant: row.tenant, keyId: parts.id, user: row.user_email };
  };

  const createTenant = (name: string): Promise<CreatedTenant> =>
    inTransaction(pool, async (sql) => {
      const at = ctx.now();
      const candidates = tenantIdCandidates(name, 5);
      const taken = await all<{ id: string }>(sql, 'SELECT id FROM tenants WHERE id = ANY($1)', [candidates]);
      const id = candidates.find((candidate) => !taken.some((row) => row.id === candidate));
      if (!id) throw new Error(`no free tenant ID found for '${name}'`);
      await sql.query('INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)', [id, name, at]);
      await sql.query('INSERT INTO tenant_secrets (tenant, visitor_key) VALUES ($1, $2)', [
        id,
        randomBytes(32),
      ]);
      const apiKey = generateApiKey();
      await sql.query(
        'INSERT INTO api_keys (id, tenant, secret_sha256, last_four, created_at) VALUES ($1, $2, $3, $4, $5)',
        [apiKey.id, id, apiKey.secretSha256, apiKey.lastFour, at],
      );
      const siteKey = generateSiteKey();
      await sql.query(
        `INSERT INTO site_keys (key, tenant, origins, created_at) VALUES ($1, $2, '["*"]', $3)`,
        [siteKey, id, at],
      );
      await insertDefaultDataSources(sql, id, at);
      await notify(sql, id, 'tenant');
      return { tenant: id, apiKey: apiKey.key, siteKey };
    });

  return {
    async createTenant(name) {
      const trimmed = typeof name === 'string' ? name.trim() : '';
      requireText('name', trimmed);
      // another process may take the same free ID between our look-up and insert: look again
      for (let attempt = 1; ; attempt++) {
        try {
          return await createTenant(trimmed);
        } catch (error) {
          if (attempt === 3 || !isUniqueViolationPg(error)) throw error;
        }
      }
    },
    async getTenant(id) {
      const row = await one<TenantRow>(pool, 'SELECT id, name, created_at FROM tenants WHERE id = $1', [id]);
      return row && toTenant(row);
    },
    async listTenants() {
      const rows = await all<TenantRow>(
        pool,
        'SELECT id, name, created_at FROM tenants ORDER BY created_at, id',
      );
      return rows.map(toTenant);
    },
    async authenticateApiKey(key) {
      return (await identify(key))?.tenant;
    },
    async authenticateApiKeyId(key) {
      return identify(key);
    },
  };
}

function toTenant(row: TenantRow): Tenant {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}
